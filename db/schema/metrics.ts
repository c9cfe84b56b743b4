import { sqliteTable, integer, text, real, index, primaryKey } from "drizzle-orm/sqlite-core";

// One row per valid feedback assessment, reduced to what rollups need and bucketed by the hour
// of its TRACE's request time (a backfilled score describes the agent at that time). Points
// outlive the hot store's retention, so a bucket can be recomputed exactly after any change.
export const metricPoints = sqliteTable(
  "metric_points",
  {
    assessmentId: text("assessment_id").primaryKey(),
    traceId: text("trace_id").notNull(),
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    // 0 stands for "no scorer version" (human or REST feedback): a key column cannot be null.
    scorerVersion: integer("scorer_version").notNull(),
    bucketStart: integer("bucket_start").notNull(), // ms, start of the UTC hour
    isError: integer("is_error").notNull(),
    num: real("num"), // numeric value
    pass: integer("pass"), // 1/0 for booleans and "yes"/"no"
    bin: integer("bin"), // histogram bin of num
  },
  (t) => [index("metric_points_key_idx").on(t.experimentId, t.scorerName, t.scorerVersion, t.bucketStart), index("metric_points_trace_idx").on(t.traceId)],
);

// Hourly rollups per (experiment, scorer, scorer version); days are derived from hours.
export const metricRollups = sqliteTable(
  "metric_rollups",
  {
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
    scorerVersion: integer("scorer_version").notNull(),
    bucketStart: integer("bucket_start").notNull(),
    count: integer("count").notNull(),
    errors: integer("errors").notNull(),
    numCount: integer("num_count").notNull(),
    numSum: real("num_sum").notNull(),
    numSumSq: real("num_sum_sq").notNull(),
    numMin: real("num_min"),
    numMax: real("num_max"),
    histogram: text("histogram").notNull(), // JSON array of counts over HISTOGRAM_EDGES
    boolCount: integer("bool_count").notNull(),
    passCount: integer("pass_count").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.scorerName, t.scorerVersion, t.bucketStart] })],
);

// Traces whose assessments changed since their points were last refreshed; filled by triggers
// on assessments (see the metrics_triggers migration), drained by the metrics tick.
export const metricsQueue = sqliteTable("metrics_queue", {
  traceId: text("trace_id").primaryKey(),
  enqueuedAt: integer("enqueued_at").notNull(),
});

/**
 * Traffic per experiment in 5-minute buckets of trace start time, counted once per trace when it
 * completes, whichever store holds it: Vigil's own (a trigger on `traces`) or a remote MLflow (the
 * online intake, as it reads the traces). The dashboard's traffic, error and latency figures read
 * only this table, so they have no mode branches.
 */
export const traffic = sqliteTable(
  "traffic",
  {
    experimentId: integer("experiment_id").notNull(),
    bucketMs: integer("bucket_ms").notNull(),
    traces: integer("traces").notNull(),
    errors: integer("errors").notNull(),
    // JSON object {bin: count} of execution durations (lib/metrics/latency-histogram.ts bins).
    latency: text("latency").notNull(),
    lastTraceAt: integer("last_trace_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.bucketMs] })],
);
