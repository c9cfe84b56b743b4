import { sqliteTable, integer, text, index, primaryKey } from "drizzle-orm/sqlite-core";

export const traceStates = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;

export const traces = sqliteTable(
  "traces",
  {
    traceId: text("trace_id").primaryKey(), // "tr-" + 32 hex
    experimentId: integer("experiment_id").notNull(),
    clientRequestId: text("client_request_id"),
    name: text("name"), // root span name
    requestTime: integer("request_time").notNull(), // ms since epoch
    executionDurationMs: integer("execution_duration_ms"),
    endTimeMs: integer("end_time_ms"),
    state: text("state", { enum: traceStates }).notNull().default("IN_PROGRESS"),
    requestPreview: text("request_preview"),
    responsePreview: text("response_preview"),
    request: text("request"), // full request (JSON text) as the root span recorded it
    response: text("response"),
    traceMetadata: text("trace_metadata").notNull().default("{}"),
    tags: text("tags").notNull().default("{}"),
    rootSpanId: text("root_span_id"),
    // Set when the root span has ended; the engine scores only complete traces.
    completedAt: integer("completed_at"),
    // Last time a span of this trace arrived: the quiet-period rule uses it.
    lastSpanAt: integer("last_span_at").notNull(),
    spanCount: integer("span_count").notNull().default(0),
    // 1 when the writer that completed the trace also wrote what a completion records (outbox,
    // traffic, session join) in its own set-based statements (OTLP ingest); the triggers on
    // `traces` do it for every other writer.
    completionRecorded: integer("completion_recorded").notNull().default(0),
  },
  (t) => [
    index("traces_exp_time_idx").on(t.experimentId, t.requestTime, t.traceId),
    index("traces_exp_completed_idx").on(t.experimentId, t.completedAt),
    index("traces_exp_state_idx").on(t.experimentId, t.state, t.requestTime),
    index("traces_client_request_idx").on(t.clientRequestId),
  ],
);

export const spans = sqliteTable(
  "spans",
  {
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(), // 16 hex
    parentSpanId: text("parent_span_id"),
    name: text("name").notNull(),
    spanType: text("span_type"), // mlflow.spanType, unquoted
    kind: integer("kind").notNull().default(0),
    // Nanoseconds since epoch do not fit a JS number exactly: kept as decimal strings.
    startTimeNs: text("start_time_ns").notNull(),
    endTimeNs: text("end_time_ns"),
    startMs: integer("start_ms").notNull(),
    endMs: integer("end_ms"),
    statusCode: text("status_code").notNull().default("STATUS_CODE_UNSET"),
    statusMessage: text("status_message").notNull().default(""),
    attributes: text("attributes").notNull().default("{}"),
    events: text("events").notNull().default("[]"),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.spanId] }), index("spans_name_idx").on(t.name), index("spans_type_idx").on(t.spanType)],
);
