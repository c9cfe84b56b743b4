import { sqliteTable, integer, text, real, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

export const scorers = sqliteTable(
  "scorers",
  {
    scorerId: text("scorer_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    // Highest version ever issued for this scorer. Versions are never reused after a delete, so
    // the engine's "(scorer_id, version) already scored" check can't confuse old and new content.
    lastVersion: integer("last_version").notNull().default(0),
  },
  (t) => [uniqueIndex("scorers_exp_name_uq").on(t.experimentId, t.name)],
);

// Append-only: registering an existing name adds a version.
export const scorerVersions = sqliteTable(
  "scorer_versions",
  {
    scorerId: text("scorer_id").notNull(),
    version: integer("version").notNull(),
    serializedScorer: text("serialized_scorer").notNull(),
    creationTime: integer("creation_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scorerId, t.version] })],
);

export const onlineConfigs = sqliteTable("online_configs", {
  onlineScoringConfigId: text("online_scoring_config_id").primaryKey(),
  scorerId: text("scorer_id").notNull().unique(),
  sampleRate: real("sample_rate").notNull().default(0),
  filterString: text("filter_string"),
  // Vigil's own state beside MLflow's config: a pause keeps the rate so resume restores it.
  pausedReason: text("paused_reason"),
  pausedAt: integer("paused_at"),
  pausedBy: text("paused_by"),
  updatedAt: integer("updated_at").notNull(),
});
