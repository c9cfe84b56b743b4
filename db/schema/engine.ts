import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

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
  },
  (t) => [index("jobs_status_idx").on(t.status, t.createdAt)],
);

// One durable cursor per experiment for online scoring: (timestamp_ms, trace_id), like MLflow's.
export const checkpoints = sqliteTable("checkpoints", {
  experimentId: integer("experiment_id").primaryKey(),
  timestampMs: integer("timestamp_ms").notNull(),
  traceId: text("trace_id").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
