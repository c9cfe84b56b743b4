// The embedded store's session ports: sessions are tracked in engine_sessions by triggers on
// `traces` (migration 0022), turns are read through the metadata index on mlflow.trace.session,
// and a session's assessment is written, and its predecessor superseded, in the engine's transaction.
import type Database from "better-sqlite3";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import type { DueSession, SessionPorts, SessionScore, TurnRef } from "@/lib/engine/sessions/ports";
import { loadTraceBatch } from "@/lib/engine/trace-batch";

interface DueRow {
  experiment_id: number;
  session_id: string;
  revision: number;
  last_joined_at: number;
  first_time_ms: number;
  turns: number;
  skip_reason: string | null;
}

// The expression must be the one the metadata index uses (migration 0009).
const SESSION_OF = `trace_metadata ->> '$."mlflow.trace.session"'`;

export function embeddedSessions(db: Database.Database): SessionPorts {
  const due = db.prepare(
    `SELECT experiment_id, session_id, revision, last_joined_at, first_time_ms, turns, skip_reason FROM engine_sessions
     WHERE revision > sampled_revision AND last_joined_at <= ? ORDER BY last_joined_at, session_id LIMIT ?`,
  );
  const sampled = db.prepare("UPDATE engine_sessions SET sampled_revision = ?, skip_reason = ? WHERE experiment_id = ? AND session_id = ? AND revision = ?");
  const checkpoint = db.prepare(
    `INSERT INTO engine_session_checkpoints (experiment_id, timestamp_ms, session_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, session_id = excluded.session_id, updated_at = excluded.updated_at`,
  );
  const turns = db.prepare(
    // INDEXED BY: without statistics the planner would scan the experiment's traces per session.
    `SELECT trace_id AS traceId, request_time AS timeMs FROM traces INDEXED BY traces_meta_session_idx
     WHERE experiment_id = ? AND ${SESSION_OF} = ? AND completed_at IS NOT NULL
       AND (trace_metadata NOT LIKE '%mlflow.sourceRun%' OR trace_metadata ->> '$."mlflow.sourceRun"' IS NULL)
     ORDER BY request_time, trace_id`,
  );
  const isScored = db.prepare(
    "SELECT 1 FROM engine_session_scores WHERE experiment_id = ? AND session_id = ? AND scorer_id = ? AND scorer_version = ? AND turns_key = ?",
  );
  const ledger = db.prepare(
    `INSERT INTO engine_session_scores (experiment_id, session_id, scorer_id, scorer_version, turns_key, turns, assessment_id, trace_id, job_id, created_at)
     VALUES (@experimentId, @sessionId, @scorerId, @scorerVersion, @turnsKey, @turns, @assessmentId, @traceId, @jobId, @createdAt) ON CONFLICT DO NOTHING`,
  );
  const earlier = db.prepare(
    `SELECT a.assessment_id FROM engine_session_scores l JOIN assessments a ON a.assessment_id = l.assessment_id
     WHERE l.experiment_id = ? AND l.session_id = ? AND l.scorer_id = ? AND a.assessment_id <> ? AND a.valid = 1
     ORDER BY a.create_time DESC, a.assessment_id DESC`,
  );
  const invalidate = db.prepare("UPDATE assessments SET valid = 0, last_update_time = ? WHERE assessment_id = ?");
  const insert = db.prepare(
    `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error,
       rationale, metadata, overrides, valid, create_time, last_update_time, scorer_id, scorer_version, run_id)
     VALUES (@assessmentId, @traceId, @experimentId, @name, @sourceType, @sourceId, 'feedback', @value, @error,
       @rationale, @metadata, @overrides, 1, @createTime, @createTime, @scorerId, @scorerVersion, @runId)`,
  );

  return {
    source: {
      async duePage(limit, cutoff): Promise<DueSession[]> {
        return (due.all(cutoff, limit) as DueRow[]).map((r) => ({
          experimentId: r.experiment_id,
          sessionId: r.session_id,
          revision: r.revision,
          lastJoinedAt: r.last_joined_at,
          firstTimeMs: r.first_time_ms,
          turns: r.turns,
          skipReason: r.skip_reason,
        }));
      },
      consume(sessions, now) {
        const last = new Map<number, DueSession>();
        for (const s of sessions) {
          if (sampled.run(s.revision, s.skipReason, s.experimentId, s.sessionId, s.revision).changes === 1) last.set(s.experimentId, s);
        }
        for (const s of last.values()) checkpoint.run(s.experimentId, s.lastJoinedAt, s.sessionId, now);
      },
      turnRefs: async (experimentId, sessionId) => turns.all(experimentId, sessionId) as TurnRef[],
      async sessionsOf(experimentId, traceIds) {
        const out = new Map<string, string>();
        for (let i = 0; i < traceIds.length; i += 500) {
          const chunk = traceIds.slice(i, i + 500);
          const found = db
            .prepare(
              `SELECT trace_id, ${SESSION_OF} AS sid FROM traces WHERE experiment_id = ? AND trace_id IN (${chunk.map(() => "?").join(",")}) AND ${SESSION_OF} IS NOT NULL`,
            )
            .all(experimentId, ...chunk) as { trace_id: string; sid: string }[];
          for (const r of found) out.set(r.trace_id, String(r.sid));
        }
        return out;
      },
      loadTraces: async (ids) => loadTraceBatch(db, ids),
    },
    sink: {
      scored: async (s) => isScored.get(s.experimentId, s.sessionId, s.scorerId, s.scorerVersion, s.turnsKey) !== undefined,
      insert(row: AssessmentInsert, score: SessionScore): boolean {
        const r = ledger.run({ ...score, assessmentId: row.assessmentId, traceId: row.traceId, createdAt: row.createTime });
        if (r.changes === 0) return false;
        // Re-scoring keeps history: the older verdicts stay, invalid, and the new one overrides the latest.
        const older = (earlier.all(score.experimentId, score.sessionId, score.scorerId, row.assessmentId) as { assessment_id: string }[]).map(
          (x) => x.assessment_id,
        );
        for (const id of older) invalidate.run(row.createTime, id);
        insert.run({ ...row, overrides: older[0] ?? null });
        return true;
      },
    },
  };
}
