import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { NotFoundError, UnauthenticatedError, newId, requireRole, type Actor, type Config, type Role, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit/record-audit";
import { checkPassword } from "./credentials";

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newTokenSecret = () => `vgl_${randomBytes(24).toString("base64url")}`;
export const tokenRoles = ["viewer", "operator", "admin", "ingest"] as const;

/** VIGIL_ADMIN_TOKEN: make sure an admin token with exactly that value exists. */
export function ensureAdminToken(db: Db, config: Config, now = Date.now()): void {
  if (!config.VIGIL_ADMIN_TOKEN) return;
  const tokenHash = hashToken(config.VIGIL_ADMIN_TOKEN);
  db.insert(apiTokens)
    .values({ tokenId: newId("tok-"), name: "VIGIL_ADMIN_TOKEN", tokenHash, role: "admin", createdAt: now })
    .onConflictDoNothing()
    .run();
}

export interface ApiTokenView {
  token_id: string;
  name: string;
  role: Role;
  experiment_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

const view = (t: typeof apiTokens.$inferSelect): ApiTokenView => ({
  token_id: t.tokenId,
  name: t.name,
  role: t.role as Role,
  experiment_id: t.experimentId === null ? null : String(t.experimentId),
  created_at: t.createdAt,
  revoked_at: t.revokedAt,
});

/** The secret is returned once, here; only its hash is kept. */
export function createApiToken({ ctx, input }: VerbArgs<{ name: string; role: string; experiment_id?: string | number | null }>) {
  requireRole(ctx.actor, "admin");
  const i = z
    .object({
      name: z.string().trim().min(1).max(100),
      role: z.enum(tokenRoles),
      experiment_id: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]).nullish(),
    })
    .parse(input);
  const secret = newTokenSecret();
  const row = {
    tokenId: newId("tok-"),
    name: i.name,
    tokenHash: hashToken(secret),
    role: i.role,
    experimentId: i.experiment_id === null || i.experiment_id === undefined ? null : Number(i.experiment_id),
    createdAt: ctx.now(),
    revokedAt: null,
  };
  ctx.db.transaction((tx) => {
    tx.insert(apiTokens).values(row).run();
    recordAudit(ctx, {
      action: "token.create",
      entityType: "token",
      entityId: row.tokenId,
      experimentId: row.experimentId,
      after: view(row),
    });
  });
  return { ...view(row), token: secret };
}

export function listApiTokens({ ctx }: VerbArgs<Record<string, never>>): ApiTokenView[] {
  requireRole(ctx.actor, "admin");
  return ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt)).all().map(view);
}

export function revokeApiToken({ ctx, input }: VerbArgs<{ token_id: string }>): ApiTokenView {
  requireRole(ctx.actor, "admin");
  const existing = ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenId, input.token_id)).get();
  if (!existing) throw new NotFoundError(`API token '${input.token_id}' does not exist.`);
  if (existing.revokedAt !== null) return view(existing);
  return ctx.db.transaction((tx) => {
    const t = tx.update(apiTokens).set({ revokedAt: ctx.now() }).where(eq(apiTokens.tokenId, input.token_id)).returning().get()!;
    recordAudit(ctx, {
      action: "token.revoke",
      entityType: "token",
      entityId: t.tokenId,
      experimentId: t.experimentId,
      before: view(existing),
      after: view(t),
    });
    return view(t);
  });
}

export function actorFromToken(db: Db, secret: string): Actor {
  const row = db
    .select({ tokenId: apiTokens.tokenId, role: apiTokens.role, experimentId: apiTokens.experimentId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) throw new UnauthenticatedError("Invalid or revoked API token.");
  return { id: `token:${row.tokenId}`, role: row.role as Role, experimentId: row.experimentId };
}

async function actorFromBasic(db: Db, encoded: string, env: RequestEnv): Promise<Actor> {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const sep = decoded.indexOf(":");
  const username = sep < 0 ? decoded : decoded.slice(0, sep);
  const password = sep < 0 ? "" : decoded.slice(sep + 1);
  if (username.length > 64 || password.length > 1024) throw new UnauthenticatedError("Wrong username or password.");
  const user = await checkPassword({ db, now: env.now }, { username, password, clientAddress: env.clientAddress });
  return { id: `user:${user.username}`, role: user.role as Role };
}

/** Where a request comes from, for the sign-in throttle that Basic credentials share. */
export interface RequestEnv {
  clientAddress: string;
  now: number;
}

/**
 * Who is calling: a Bearer token (API tokens, MLFLOW_TRACKING_TOKEN), Basic credentials
 * (MLFLOW_TRACKING_USERNAME/PASSWORD), a session (given by the caller), or the anonymous role
 * the configuration allows.
 */
export async function resolveActor(db: Db, config: Config, authorization: string | undefined, env: RequestEnv, session?: () => Actor | null): Promise<Actor> {
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return actorFromToken(db, bearer[1]!);
    const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization);
    if (basic) return actorFromBasic(db, basic[1]!, env);
    throw new UnauthenticatedError("Authorization header must be 'Bearer <token>' or 'Basic <credentials>'.");
  }
  const fromSession = session?.();
  if (fromSession) return fromSession;
  if (config.VIGIL_ANONYMOUS_ROLE === "none") throw new UnauthenticatedError("Authentication required.");
  return { id: "anonymous", role: config.VIGIL_ANONYMOUS_ROLE };
}
