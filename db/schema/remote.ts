import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

// Remote mode (a real MLflow tracking server holds the traces). Vigil keeps only engine state:
// which experiments it monitors and who scores them, what it wrote back, how its scorer versions
// map onto MLflow's, and whether MLflow answers. Its queue is the engine's (engine_tasks).

export const scoredByValues = ["vigil", "mlflow"] as const;

/** A remote experiment mirrored into `experiments` under a local id. */
export const remoteExperiments = sqliteTable("remote_experiments", {
  experimentId: integer("experiment_id").primaryKey(),
  remoteExperimentId: text("remote_experiment_id").notNull().unique(),
  // Who runs online scoring: Vigil, or MLflow's own scheduler (then Vigil only shows and manages).
  scoredBy: text("scored_by", { enum: scoredByValues }).notNull(),
  // Online scoring's cursor is the experiment's row in checkpoints (one cursor table for both stores).
  linkedAt: integer("linked_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  lastScanAt: integer("last_scan_at"),
  // The last definitive refusal (a 4xx) met while syncing or scanning this experiment; cleared by
  // the next pass that goes through. MLflow being unreachable is remote_status, not this.
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at"),
  // Traces online scoring waits on because their spans cannot be read yet (no traces.json, not
  // fully exported): how many the last attempt met and why. 0 once a scan goes through.
  unloadableTraces: integer("unloadable_traces").notNull().default(0),
  unloadableReason: text("unloadable_reason"),
  unloadableAt: integer("unloadable_at"),
});

/** What Vigil wrote onto MLflow's traces: one row per (trace, scorer version), never two. */
export const remoteScored = sqliteTable(
  "remote_scored",
  {
    traceId: text("trace_id").notNull(),
    scorerId: text("scorer_id").notNull(),
    scorerVersion: integer("scorer_version").notNull(),
    experimentId: integer("experiment_id").notNull(),
    assessmentId: text("assessment_id").notNull(),
    isError: integer("is_error", { mode: "boolean" }).notNull(),
    // The assessment's name and value (JSON text) as written: the dashboard's scorer health reads
    // them here, since the assessment itself lives on MLflow's trace.
    name: text("name"),
    value: text("value"),
    jobId: text("job_id"),
    scoredAt: integer("scored_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.scorerId, t.scorerVersion] }), index("remote_scored_exp_idx").on(t.experimentId, t.scoredAt)],
);

/** Local scorer versions and the MLflow versions they were registered as. */
export const remoteScorerVersions = sqliteTable(
  "remote_scorer_versions",
  {
    scorerId: text("scorer_id").notNull(),
    version: integer("version").notNull(),
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    remoteVersion: integer("remote_version").notNull(),
    syncedAt: integer("synced_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scorerId, t.version] })],
);

/** The sampling config last set on MLflow for a scorer (JSON {sample_rate, filter_string}). */
export const remoteScorerConfigs = sqliteTable("remote_scorer_configs", {
  scorerId: text("scorer_id").primaryKey(),
  experimentId: integer("experiment_id").notNull(),
  scorerName: text("scorer_name").notNull(),
  pushed: text("pushed").notNull(),
  syncedAt: integer("synced_at").notNull(),
});

/** One row: the last time MLflow answered, and the last failure. */
export const remoteStatus = sqliteTable("remote_status", {
  id: integer("id").primaryKey(),
  lastOkAt: integer("last_ok_at"),
  lastErrorAt: integer("last_error_at"),
  lastError: text("last_error"),
  // GET /version at the last sync: the text, or null with a check time for a server without the
  // route (treated as old). Online scoring's routes exist from MLflow 3.9 on.
  serverVersion: text("server_version"),
  serverCheckedAt: integer("server_checked_at"),
  onlineScoring: integer("online_scoring", { mode: "boolean" }),
});

/**
 * Named leases among workers: the experiment and scorer sync runs in one worker at a time (two
 * workers registering the same new version at once would register it twice on MLflow).
 */
export const remoteLeases = sqliteTable("remote_leases", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  expiresAt: integer("expires_at").notNull(),
});
