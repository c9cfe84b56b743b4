import { sqliteTable, integer, text, real, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

export const jobKinds = ["assess", "backfill", "archive_history"] as const;
export const jobStatuses = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;

export const jobs = sqliteTable(
  "jobs",
  {
    jobId: text("job_id").primaryKey(),
    kind: text("kind", { enum: jobKinds }).notNull(),
    experimentId: integer("experiment_id").notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("QUEUED"),
    params: text("params").notNull().default("{}"),
    total: integer("total").notNull().default(0),
    done: integer("done").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    error: text("error"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    // Scan position over the selected traces, (request_time, trace_id): moved in the same
    // transaction that stores a batch's results, so a crash resumes exactly where it stopped.
    cursorTs: integer("cursor_ts"),
    cursorTraceId: text("cursor_trace_id"),
    scanDone: integer("scan_done", { mode: "boolean" }).notNull().default(false),
    tracesTotal: integer("traces_total").notNull().default(0),
    tracesScanned: integer("traces_scanned").notNull().default(0),
    // Pairs already scored by the same scorer version (or queued by online scoring): not redone.
    skipped: integer("skipped").notNull().default(0),
    // Session scorers' pairs (one per session met) an assess job adds to its total (lib/engine/sessions).
    sessionPairs: integer("session_pairs").notNull().default(0),
    heartbeatAt: integer("heartbeat_at"),
  },
  (t) => [index("jobs_status_idx").on(t.status, t.createdAt), index("jobs_exp_idx").on(t.experimentId, t.createdAt)],
);

// Online scoring's position per experiment. Embedded store: the last (completed_at, trace_id)
// consumed, shown as progress (correctness rests on engine_completions below). MLflow-REST store:
// the search cursor (request time, trace_id) itself, moved in the intake transaction.
export const checkpoints = sqliteTable("checkpoints", {
  experimentId: integer("experiment_id").primaryKey(),
  timestampMs: integer("timestamp_ms").notNull(),
  traceId: text("trace_id").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Durable outbox of completed traces, filled by triggers on `traces` (custom migration) in commit
// order. A row is deleted in the transaction that queues or stores its sampled pairs, so a trace
// is considered exactly once even when ingest clocks disagree or several processes write.
export const engineCompletions = sqliteTable("engine_completions", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  traceId: text("trace_id").notNull(),
  experimentId: integer("experiment_id").notNull(),
  completedAt: integer("completed_at").notNull(),
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: integer("lease_expires_at"),
});

// "session": a session scorer's task (lib/engine/sessions); trace_id is the session's first turn.
export const taskKinds = ["code", "judge", "session"] as const;

// Sampled pairs waiting to be scored (LLM judges, and code scorers whose attempt failed
// transiently). A task row is deleted in the transaction that writes its assessment.
export const engineTasks = sqliteTable(
  "engine_tasks",
  {
    taskId: integer("task_id").primaryKey({ autoIncrement: true }),
    traceId: text("trace_id").notNull(),
    experimentId: integer("experiment_id").notNull(),
    scorerId: text("scorer_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    scorerVersion: integer("scorer_version").notNull(),
    kind: text("kind", { enum: taskKinds }).notNull(),
    jobId: text("job_id"),
    // 0 = online, 1 = jobs: online work is claimed first.
    priority: integer("priority").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    lastError: text("last_error"),
    // A create was sent to a non-atomic sink (a remote MLflow) whose answer never came: the next
    // attempt looks the assessment up on the trace before writing again.
    writeAttempted: integer("write_attempted", { mode: "boolean" }).notNull().default(false),
    // The trace's timestamp: the funnel bucket its outcome is counted in.
    traceTimeMs: integer("trace_time_ms").notNull(),
    createdAt: integer("created_at").notNull(),
    // Session tasks: the session (trace metadata mlflow.trace.session) the scorer scores whole.
    sessionId: text("session_id"),
  },
  (t) => [
    uniqueIndex("engine_tasks_pair_uq").on(t.traceId, t.scorerId, t.scorerVersion),
    index("engine_tasks_due_idx").on(t.priority, t.nextAttemptAt),
    index("engine_tasks_job_idx").on(t.jobId),
    index("engine_tasks_scorer_idx").on(t.scorerId),
  ],
);

export const funnelStages = ["matched", "sampled", "scored", "failed", "skipped", "retried"] as const;

// The funnel: counters per scorer, hour bucket (of the trace's timestamp), stage and reason.
export const engineFunnel = sqliteTable(
  "engine_funnel",
  {
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    bucketMs: integer("bucket_ms").notNull(),
    stage: text("stage", { enum: funnelStages }).notNull(),
    reason: text("reason").notNull().default(""),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.scorerName, t.bucketMs, t.stage, t.reason] })],
);

// Engine-side state of a registered scorer, beside the lifecycle's online config.
export const engineScorerRuntime = sqliteTable("engine_scorer_runtime", {
  scorerId: text("scorer_id").primaryKey(),
  experimentId: integer("experiment_id").notNull(),
  scorerName: text("scorer_name").notNull(),
  // Set when the judge endpoint refused the account (401/402/403, quota); cleared by resume.
  accountPausedReason: text("account_paused_reason"),
  accountPausedAt: integer("account_paused_at"),
  dailyBudgetUsd: real("daily_budget_usd"),
  updatedAt: integer("updated_at").notNull(),
});

// LLM judge usage per scorer, UTC day and model: tokens, calls and estimated cost.
export const engineUsage = sqliteTable(
  "engine_usage",
  {
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    day: text("day").notNull(),
    model: text("model").notNull(),
    calls: integer("calls").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    // Calls whose model has no configured price: their cost is unknown, not zero.
    unpricedCalls: integer("unpriced_calls").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.scorerName, t.day, t.model] })],
);
