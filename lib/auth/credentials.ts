import { and, eq, gt, inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInFailures, users } from "@/db/schema";
import { RateLimitedError, UnauthenticatedError } from "@/lib/core";
import { hashPassword, verifyPassword } from "./password";
import { SIGN_IN_LIMITS, SIGN_IN_WINDOW_MS, signInAllowed, type BackoffLimit } from "./rate-limit";

// A real hash with the current parameters: unknown users and users without a password cost one
// full scrypt too, so the answer's timing does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("vigil-dummy-password-never-matches"));

type UserRow = typeof users.$inferSelect;

/**
 * The one check of a username and password, for every credential path (the sign-in form, the
 * REST sign-in, Basic credentials): one shared throttle, failures counted per user, per address
 * and per user from that address.
 */
export async function checkPassword(env: { db: Db; now: number }, input: { username: string; password: string; clientAddress: string }): Promise<UserRow> {
  const { db, now } = env;
  const user = input.username.toLowerCase();
  const keys: [string, BackoffLimit][] = [
    [`pair:${user}|${input.clientAddress}`, SIGN_IN_LIMITS.pair],
    [`addr:${input.clientAddress}`, SIGN_IN_LIMITS.address],
    [`user:${user}`, SIGN_IN_LIMITS.user],
  ];
  const rows = db
    .select({ key: signInFailures.key, at: signInFailures.at })
    .from(signInFailures)
    .where(
      and(
        inArray(
          signInFailures.key,
          keys.map(([k]) => k),
        ),
        gt(signInFailures.at, now - SIGN_IN_WINDOW_MS),
      ),
    )
    .all();
  for (const [key, limit] of keys) {
    const d = signInAllowed(
      rows.filter((r) => r.key === key).map((r) => r.at),
      now,
      limit,
    );
    if (!d.allowed) {
      throw new RateLimitedError(`Too many failed sign-ins; try again in ${Math.ceil(d.retryAfterMs / 1000)} s.`, {
        retryAfterMs: d.retryAfterMs,
      });
    }
  }
  const row = db.select().from(users).where(eq(users.username, input.username)).get();
  const ok = await verifyPassword(input.password, row?.passwordHash ?? (await dummy()));
  if (!row || !row.passwordHash || !ok) {
    db.insert(signInFailures)
      .values(keys.map(([key]) => ({ key, at: now })))
      .run();
    db.delete(signInFailures)
      .where(lt(signInFailures.at, now - SIGN_IN_WINDOW_MS))
      .run();
    throw new UnauthenticatedError("Wrong username or password.");
  }
  return row;
}
