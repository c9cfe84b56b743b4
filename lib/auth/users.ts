import { eq } from "drizzle-orm";
import { z } from "zod";
import { sessions, users } from "@/db/schema";
import { AlreadyExistsError, InvalidParameterError, NotFoundError, newId, requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword, PASSWORD_MIN_LENGTH } from "./password";

export const personRoles = ["viewer", "operator", "admin"] as const;
const Username = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.@-]+$/, "letters, digits and _ . @ - only");
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

export async function setPassword({ ctx, input }: VerbArgs<{ username: string; password: string }>): Promise<void> {
  const i = z.object({ username: Username, password: Password }).parse(input);
  // People may change their own password; admins anyone's.
  if (ctx.actor.id !== `user:${i.username}`) requireRole(ctx.actor, "admin");
  const passwordHash = await hashPassword(i.password);
  ctx.db.transaction((tx) => {
    const u = tx.update(users).set({ passwordHash }).where(eq(users.username, i.username)).returning().get();
    if (!u) throw new NotFoundError(`User '${i.username}' does not exist.`);
    // The hash itself never goes into the log.
    recordAudit(ctx, { action: "user.password", entityType: "user", entityId: u.username });
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
