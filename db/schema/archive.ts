import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

// Archival per experiment. A row exists once archival or retention was configured for it.
export const archiveSettings = sqliteTable("archive_settings", {
  experimentId: integer("experiment_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
  // Days of raw traces the hot store keeps; null keeps them forever.
  retentionDays: integer("retention_days"),
  enabledAt: integer("enabled_at"),
  // The archive_history job started by the last enable, if the experiment had traces then.
  historyJobId: text("history_job_id"),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

// The columns of MLflow's archived-trace table, plus the few Vigil fields (name, previews, end
// time) without which a trace cannot be rebuilt exactly. JSON columns hold JSON text.
export const archivedTraces = sqliteTable(
  "archived_traces",
  {
    traceId: text("trace_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    clientRequestId: text("client_request_id"),
    requestTime: integer("request_time").notNull(), // ms since epoch
    state: text("state").notNull(),
    executionDurationMs: integer("execution_duration_ms"),
    request: text("request"),
    response: text("response"),
    traceMetadata: text("trace_metadata").notNull(), // {string: string}
    tags: text("tags").notNull(), // {string: string}
    traceLocation: text("trace_location").notNull(), // MLflow TraceLocation
    assessments: text("assessments").notNull(), // [Assessment + scorer provenance]
    spans: text("spans").notNull(), // [span record]
    name: text("name"),
    endTimeMs: integer("end_time_ms"),
    requestPreview: text("request_preview"),
    responsePreview: text("response_preview"),
    archivedAt: integer("archived_at").notNull(),
  },
  (t) => [index("archived_traces_exp_time_idx").on(t.experimentId, t.requestTime, t.traceId)],
);

// Traces whose archive copy is missing or stale. Filled by triggers on traces and assessments
// (see the archive_triggers migration) only while archival is enabled; drained by the archive tick.
export const archiveQueue = sqliteTable("archive_queue", {
  traceId: text("trace_id").primaryKey(),
  experimentId: integer("experiment_id").notNull(),
  enqueuedAt: integer("enqueued_at").notNull(),
});
