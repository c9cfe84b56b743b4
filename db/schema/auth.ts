import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";

export const roles = ["viewer", "operator", "admin", "ingest"] as const;

export const users = sqliteTable("users", {
  userId: text("user_id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash"),
  role: text("role", { enum: roles }).notNull(),
  createdAt: integer("created_at").notNull(),
});

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    tokenId: text("token_id").primaryKey(),
    name: text("name").notNull(),
    // sha256 of the secret: tokens are high-entropy, so a fast hash is enough here.
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: roles }).notNull(),
    experimentId: integer("experiment_id"),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_tokens_hash_idx").on(t.tokenHash)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    experimentId: integer("experiment_id"),
    before: text("before"),
    after: text("after"),
    reason: text("reason"),
  },
  (t) => [index("audit_entity_idx").on(t.entityType, t.entityId, t.at)],
);
