import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { sessions, users } from "@/db/schema";
import { AlreadyExistsError, InvalidParameterError, NotFoundError, PermissionDeniedError, newId, requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from "./password";
import { hashToken } from "./tokens";

export const personRoles = ["viewer", "operator", "admin"] as const;
const Username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, "letters, digits and _ . @ - only");
const Password = z.string().min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`).max(1024);

export interface UserView {
  username: string;
  role: (typeof personRoles)[number];
  created_at: number;
  has_password: boolean;
}

const view = (u: typeof users.$inferSelect): UserView => ({
  username: u.username,
  role: u.role as UserView["role"],
  created_at: u.createdAt,
  has_password: Boolean(u.passwordHash),
});

export async function createUser({ ctx, input }: VerbArgs<{ username: string; password?: string; role: string }>): Promise<UserView> {
  requireRole(ctx.actor, "admin");
  const i = z.object({ username: Username, password: Password.optional(), role: z.enum(personRoles) }).parse(input);
  if (ctx.db.select().from(users).where(eq(users.username, i.username)).get()) {
    throw new AlreadyExistsError(`User '${i.username}' already exists.`);
  }
  const row = {
    userId: newId("usr-"),
    username: i.username,
    passwordHash: i.password ? await hashPassword(i.password) : null,
    role: i.role,
    createdAt: ctx.now(),
  };
  ctx.db.transaction((tx) => {
    tx.insert(users).values(row).run();
    recordAudit(ctx, { action: "user.create", entityType: "user", entityId: row.username, after: view(row) });
  });
  return view(row);
}

export function listUsers({ ctx }: VerbArgs<Record<string, never>>): UserView[] {
  requireRole(ctx.actor, "admin");
  return ctx.db.select().from(users).orderBy(users.username).all().map(view);
}

export function setUserRole({ ctx, input }: VerbArgs<{ username: string; role: string }>): UserView {
  requireRole(ctx.actor, "admin");
  const i = z.object({ username: Username, role: z.enum(personRoles) }).parse(input);
  return ctx.db.transaction((tx) => {
    const before = tx.select().from(users).where(eq(users.username, i.username)).get();
    if (!before) throw new NotFoundError(`User '${i.username}' does not exist.`);
    const u = tx.update(users).set({ role: i.role }).where(eq(users.username, i.username)).returning().get()!;
    recordAudit(ctx, { action: "user.role", entityType: "user", entityId: u.username, before: view(before), after: view(u) });
    return view(u);
  });
}

/**
 * People change their own password with the current one; admins reset anyone else's (audited as
 * a reset). Every other session of that user ends, so a stolen session dies with the old password.
 */
export async function setPassword({
  ctx,
  input,
}: VerbArgs<{ username: string; password: string; current_password?: string; keep_session?: string }>): Promise<void> {
  const i = z
    .object({ username: Username, password: Password, current_password: z.string().max(1024).optional(), keep_session: z.string().max(200).optional() })
    .parse(input);
  const self = ctx.actor.id === `user:${i.username}`;
  if (!self) requireRole(ctx.actor, "admin");
  const existing = ctx.db.select().from(users).where(eq(users.username, i.username)).get();
  if (!existing) throw new NotFoundError(`User '${i.username}' does not exist.`);
  if (self && !(await verifyPassword(i.current_password ?? "", existing.passwordHash))) {
    throw new PermissionDeniedError("Changing your password needs your current password ('current_password').");
  }
  const passwordHash = await hashPassword(i.password);
  const keep = self && i.keep_session ? hashToken(i.keep_session) : null;
  ctx.db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.userId, existing.userId)).run();
    const others = keep ? and(eq(sessions.userId, existing.userId), ne(sessions.sessionHash, keep)) : eq(sessions.userId, existing.userId);
    const ended = tx.delete(sessions).where(others).returning({ h: sessions.sessionHash }).all().length;
    // The hash itself never goes into the log.
    recordAudit(ctx, {
      action: self ? "user.password" : "user.password.reset",
      entityType: "user",
      entityId: existing.username,
      after: { sessions_ended: ended },
    });
  });
}

export function deleteUser({ ctx, input }: VerbArgs<{ username: string }>): void {
  requireRole(ctx.actor, "admin");
  const i = z.object({ username: Username }).parse(input);
  if (ctx.actor.id === `user:${i.username}`) throw new InvalidParameterError("You cannot delete yourself.");
  ctx.db.transaction((tx) => {
    const u = tx.delete(users).where(eq(users.username, i.username)).returning().get();
    if (!u) throw new NotFoundError(`User '${i.username}' does not exist.`);
    tx.delete(sessions).where(eq(sessions.userId, u.userId)).run();
    recordAudit(ctx, { action: "user.delete", entityType: "user", entityId: u.username, before: view(u) });
  });
}
