import { sqliteTable, integer, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const lifecycleStages = ["active", "deleted"] as const;

export const experiments = sqliteTable(
  "experiments",
  {
    // MLflow experiment ids are decimal strings; "0" is the Default experiment.
    experimentId: integer("experiment_id").primaryKey(),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull().default(""),
    lifecycleStage: text("lifecycle_stage", { enum: lifecycleStages }).notNull().default("active"),
    tags: text("tags").notNull().default("{}"),
    creationTime: integer("creation_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
  },
  (t) => [uniqueIndex("experiments_name_uq").on(t.name)],
);
