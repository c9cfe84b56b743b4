import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { sessions, signInLinks, users } from "@/db/schema";
import { UnauthenticatedError, newId, type Actor, type Role, type VerbArgs } from "@/lib/core";
import { checkPassword } from "./credentials";
import { hashToken } from "./tokens";

export const SESSION_COOKIE = "vigil_session";
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
const LINK_TTL_MS = 24 * 3600_000;

export interface SessionGrant {
  secret: string;
  expiresAt: number;
  username: string;
  role: Role;
}

function openSession(db: Db, userId: string, now: number): { secret: string; expiresAt: number } {
  const secret = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_TTL_MS;
  db.insert(sessions)
    .values({ sessionHash: hashToken(secret), userId, createdAt: now, expiresAt })
    .run();
  return { secret, expiresAt };
}

/** Username and password → a session, through the one throttled password check. */
export async function signIn({ ctx, input }: VerbArgs<{ username: string; password: string; clientAddress: string }>): Promise<SessionGrant> {
  const i = z.object({ username: z.string().max(64), password: z.string().max(1024), clientAddress: z.string().min(1).max(200) }).parse(input);
  const now = ctx.now();
  const user = await checkPassword({ db: ctx.db, now }, i);
  const s = openSession(ctx.db, user.userId, now);
  return { ...s, username: user.username, role: user.role as Role };
}

export function signOut({ ctx, input }: VerbArgs<{ secret: string }>): void {
  ctx.db
    .delete(sessions)
    .where(eq(sessions.sessionHash, hashToken(input.secret)))
    .run();
}

/** The actor behind a session cookie, or null when it is unknown or expired. */
export function actorFromSession(db: Db, secret: string, now: number): (Actor & { username: string }) | null {
  const row = db
    .select({ username: users.username, role: users.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.userId, sessions.userId))
    .where(eq(sessions.sessionHash, hashToken(secret)))
    .get();
  if (!row || row.expiresAt <= now) return null;
  return { id: `user:${row.username}`, role: row.role as Role, username: row.username };
}

/**
 * On a fresh install there is no one to sign in as: create the first admin and hand out a
 * one-time link. Returns the link's secret, or null when a person with a password exists.
 */
export function ensureFirstAdminLink(db: Db, now: number): string | null {
  const people = db.select().from(users).all();
  if (people.some((u) => u.passwordHash && u.role === "admin")) return null;
  let admin = people.find((u) => u.role === "admin");
  if (!admin) {
    admin = { userId: newId("usr-"), username: "admin", passwordHash: null, role: "admin", createdAt: now };
    db.insert(users).values(admin).run();
  }
  const secret = randomBytes(24).toString("base64url");
  db.insert(signInLinks)
    .values({ linkHash: hashToken(secret), userId: admin.userId, expiresAt: now + LINK_TTL_MS })
    .run();
  return secret;
}

/** Exchanges a one-time link for a session; a used or expired link is refused. */
export function redeemSignInLink({ ctx, input }: VerbArgs<{ token: string }>): SessionGrant {
  const now = ctx.now();
  return ctx.db.transaction((tx) => {
    const link = tx
      .update(signInLinks)
      .set({ usedAt: now })
      .where(and(eq(signInLinks.linkHash, hashToken(input.token)), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
      .returning()
      .get();
    if (!link) throw new UnauthenticatedError("This sign-in link is invalid, expired or already used.");
    const user = tx.select().from(users).where(eq(users.userId, link.userId)).get();
    if (!user) throw new UnauthenticatedError("This sign-in link's user no longer exists.");
    const s = openSession(tx as unknown as Db, user.userId, now);
    return { ...s, username: user.username, role: user.role as Role };
  });
}
