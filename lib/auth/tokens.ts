import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { UnauthenticatedError, newId, type Actor, type Config, type Role } from "@/lib/core";

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newTokenSecret = () => `vgl_${randomBytes(24).toString("base64url")}`;

/** VIGIL_ADMIN_TOKEN: make sure an admin token with exactly that value exists. */
export function ensureAdminToken(db: Db, config: Config, now = Date.now()): void {
  if (!config.VIGIL_ADMIN_TOKEN) return;
  const tokenHash = hashToken(config.VIGIL_ADMIN_TOKEN);
  db.insert(apiTokens)
    .values({ tokenId: newId("tok-"), name: "VIGIL_ADMIN_TOKEN", tokenHash, role: "admin", createdAt: now })
    .onConflictDoNothing()
    .run();
}

/** Who is calling: a Bearer token, or the anonymous role the configuration allows. */
export function resolveActor(db: Db, config: Config, authorization: string | undefined): Actor {
  if (authorization) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new UnauthenticatedError("Authorization header must be 'Bearer <token>'.");
    const row = db
      .select({ tokenId: apiTokens.tokenId, role: apiTokens.role, experimentId: apiTokens.experimentId })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hashToken(m[1]!)), isNull(apiTokens.revokedAt)))
      .get();
    if (!row) throw new UnauthenticatedError("Invalid or revoked API token.");
    return { id: `token:${row.tokenId}`, role: row.role as Role, experimentId: row.experimentId };
  }
  if (config.VIGIL_ANONYMOUS_ROLE === "none") throw new UnauthenticatedError("Authentication required.");
  return { id: "anonymous", role: config.VIGIL_ANONYMOUS_ROLE };
}
