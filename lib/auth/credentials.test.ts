import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { RateLimitedError, UnauthenticatedError } from "@/lib/core";
import { tempDbPath } from "@/tests/helpers/server";
import { checkPassword } from "./credentials";
import * as password from "./password";

vi.mock("./password", async (importOriginal) => {
  const orig = await importOriginal<typeof import("./password")>();
  return { ...orig, verifyPassword: vi.fn(orig.verifyPassword) };
});

describe("checkPassword on a real SQLite file", () => {
  const tmp = tempDbPath("vigil-cred-");
  let db: Db;
  beforeAll(async () => {
    db = openDb(tmp.file);
    const hash = await password.hashPassword("right-password-1");
    db.insert(users)
      .values([
        { userId: "u1", username: "real", passwordHash: hash, role: "viewer", createdAt: 0 },
        { userId: "u2", username: "nopass", passwordHash: null, role: "viewer", createdAt: 0 },
      ])
      .run();
  });
  afterAll(() => {
    db.$client.close();
    tmp.cleanup();
  });

  it.each([
    ["an unknown user", "ghost"],
    ["a user without a password", "nopass"],
    ["a real user", "real"],
  ])("spends one full scrypt for %s (no timing oracle)", async (_l, username) => {
    const spy = vi.mocked(password.verifyPassword);
    spy.mockClear();
    await expect(checkPassword({ db, now: 1_000 }, { username, password: "wrong", clientAddress: `a-${username}` })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![1]).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  it("backs off, and lets the owner in from elsewhere and after the wait", async () => {
    const at = (now: number, clientAddress: string, pw = "nope") => checkPassword({ db, now }, { username: "real", password: pw, clientAddress });
    const t0 = 10_000_000;
    for (let i = 0; i < 5; i++) await expect(at(t0 + i, "evil")).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(at(t0 + 10, "evil", "right-password-1")).rejects.toBeInstanceOf(RateLimitedError);
    await expect(at(t0 + 20, "home", "right-password-1")).resolves.toMatchObject({ username: "real" });
    await expect(at(t0 + 31_000, "evil", "right-password-1")).resolves.toMatchObject({ username: "real" });
  });
});
