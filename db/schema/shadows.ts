import { sqliteTable, integer, text, primaryKey, index } from "drizzle-orm/sqlite-core";

export const shadowStates = ["shadow", "promoted", "discarded"] as const;

// A version registered as a shadow lives here, not in scorer_versions, so MLflow's scorer routes
// (and an MLflow client) never see it until it is promoted; its number comes from
// scorers.last_version like any version, so it is never reused.
export const scorerShadows = sqliteTable(
  "scorer_shadows",
  {
    scorerId: text("scorer_id").notNull(),
    version: integer("version").notNull(),
    experimentId: integer("experiment_id").notNull(),
    serializedScorer: text("serialized_scorer").notNull(),
    state: text("state", { enum: shadowStates }).notNull().default("shadow"),
    // The live version when the shadow was registered: what it is compared with by default.
    baseVersion: integer("base_version").notNull(),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    // Promotion or discard. Scores made before a promotion stay out of trends and alerts.
    decidedAt: integer("decided_at"),
    decidedBy: text("decided_by"),
  },
  (t) => [primaryKey({ columns: [t.scorerId, t.version] }), index("scorer_shadows_exp_idx").on(t.experimentId, t.state)],
);
