import { sqliteTable, integer, text, index, primaryKey } from "drizzle-orm/sqlite-core";

export const runStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;

// MLflow runs, as far as mlflow.genai.evaluate uses them: a run per evaluation, its tags, params,
// latest metrics and dataset inputs. Maps are JSON objects; metrics keep the latest value per key.
export const runs = sqliteTable(
  "runs",
  {
    runId: text("run_id").primaryKey(), // 32 hex, as MLflow's uuid4().hex
    experimentId: integer("experiment_id").notNull(),
    runName: text("run_name").notNull().default(""),
    userId: text("user_id").notNull().default(""),
    status: text("status", { enum: runStatuses }).notNull().default("RUNNING"),
    startTime: integer("start_time").notNull(),
    endTime: integer("end_time"),
    lifecycleStage: text("lifecycle_stage", { enum: ["active", "deleted"] })
      .notNull()
      .default("active"),
    artifactUri: text("artifact_uri").notNull().default(""),
    tags: text("tags").notNull().default("{}"),
    params: text("params").notNull().default("{}"),
    metrics: text("metrics").notNull().default("{}"), // {key: {value, timestamp, step}}
    datasetInputs: text("dataset_inputs").notNull().default("[]"), // [{tags, dataset}]
  },
  (t) => [index("runs_experiment_idx").on(t.experimentId, t.startTime)],
);

// LinkTracesToRun: traces an evaluation run used without creating them (MLflow's entity associations).
export const runTraceLinks = sqliteTable(
  "run_trace_links",
  {
    runId: text("run_id").notNull(),
    traceId: text("trace_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.traceId] }), index("run_trace_links_trace_idx").on(t.traceId)],
);
