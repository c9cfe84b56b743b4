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

// Browser sessions: the cookie holds a random secret; only its sha256 is stored.
export const sessions = sqliteTable(
  "sessions",
  {
    sessionHash: text("session_hash").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

// One-time sign-in links (the first admin's, printed by `npm start`).
export const signInLinks = sqliteTable("sign_in_links", {
  linkHash: text("link_hash").primaryKey(),
  userId: text("user_id").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
});

// Failed sign-ins per key (username or address) for rate limiting across processes.
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("sign_in_failures_key_idx").on(t.key, t.at)],
);
