import { sql } from "drizzle-orm";
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

// Conversations as the engine tracks them (lib/engine/sessions): the traces of one experiment
// sharing trace metadata `mlflow.trace.session`. Filled by triggers on `traces` (custom
// migration) when a trace of the session completes; `revision` counts joined turns, and a
// session waits for scoring while `sampled_revision` is behind it.
export const engineSessions = sqliteTable(
  "engine_sessions",
  {
    experimentId: integer("experiment_id").notNull(),
    sessionId: text("session_id").notNull(),
    // Request times of the earliest and latest turn: the sessions view's range.
    firstTimeMs: integer("first_time_ms").notNull(),
    lastTimeMs: integer("last_time_ms").notNull(),
    turns: integer("turns").notNull().default(0),
    // When the latest turn joined (its completion time): complete after the buffer from here.
    lastJoinedAt: integer("last_joined_at").notNull(),
    revision: integer("revision").notNull().default(0),
    sampledRevision: integer("sampled_revision").notNull().default(0),
    // Why the session is not scored, when it is not (an id over 250 characters).
    skipReason: text("skip_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.sessionId] }),
    index("engine_sessions_due_idx")
      .on(t.lastJoinedAt)
      .where(sql`${t.revision} > ${t.sampledRevision}`),
    index("engine_sessions_exp_idx").on(t.experimentId, t.lastTimeMs),
  ],
);

// Session intake's position per experiment, as MLflow's session checkpoint:
// (last_trace_timestamp_ms, session_id) of the last session sampled, here its join time.
export const engineSessionCheckpoints = sqliteTable("engine_session_checkpoints", {
  experimentId: integer("experiment_id").primaryKey(),
  timestampMs: integer("timestamp_ms").notNull(),
  sessionId: text("session_id").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// One row per scored (session, scorer version, set of turns): never scored twice for the same
// turns. `turns_key` is a hash of the session's trace ids; the row commits with the assessment.
export const engineSessionScores = sqliteTable(
  "engine_session_scores",
  {
    experimentId: integer("experiment_id").notNull(),
    sessionId: text("session_id").notNull(),
    scorerId: text("scorer_id").notNull(),
    scorerVersion: integer("scorer_version").notNull(),
    turnsKey: text("turns_key").notNull(),
    turns: integer("turns").notNull(),
    assessmentId: text("assessment_id").notNull(),
    traceId: text("trace_id").notNull(),
    jobId: text("job_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("engine_session_scores_uq").on(t.experimentId, t.sessionId, t.scorerId, t.scorerVersion, t.turnsKey),
    index("engine_session_scores_session_idx").on(t.experimentId, t.sessionId),
  ],
);
