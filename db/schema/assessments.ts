import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

export const assessmentSourceTypes = ["SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE"] as const;
export const assessmentKinds = ["feedback", "expectation"] as const;

export const assessments = sqliteTable(
  "assessments",
  {
    assessmentId: text("assessment_id").primaryKey(), // "a-" + 32 hex
    traceId: text("trace_id").notNull(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    spanId: text("span_id"),
    sourceType: text("source_type", { enum: assessmentSourceTypes }).notNull(),
    sourceId: text("source_id").notNull().default(""),
    kind: text("kind", { enum: assessmentKinds }).notNull(),
    value: text("value"), // JSON text of the value
    error: text("error"), // JSON {error_code, error_message, stack_trace?}
    rationale: text("rationale"),
    metadata: text("metadata").notNull().default("{}"),
    overrides: text("overrides"),
    valid: integer("valid", { mode: "boolean" }).notNull().default(true),
    createTime: integer("create_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
    // Engine provenance: which scorer version produced it, and which job or run grouped it.
    scorerId: text("scorer_id"),
    scorerVersion: integer("scorer_version"),
    runId: text("run_id"),
  },
  (t) => [
    index("assessments_trace_idx").on(t.traceId),
    index("assessments_exp_name_idx").on(t.experimentId, t.name, t.createTime),
    // A job's results are its run_id's assessments, however far back they sit.
    index("assessments_run_idx").on(t.runId),
  ],
);
