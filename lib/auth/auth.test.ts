import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { signInAllowed } from "./rate-limit";
import { readCookie, sessionCookie } from "./cookies";

describe("passwords", () => {
  it("hashes with scrypt and a random salt, and verifies", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
  });
  it.each([[null], [""], ["md5$abc"], ["scrypt$1$2"]])("refuses a missing or foreign hash %s", async (stored) => {
    expect(await verifyPassword("x", stored)).toBe(false);
  });
});

describe("sign-in throttling", () => {
  const limit = { max: 3, windowMs: 1000 };
  it.each([
    ["no failures", [], 5000, true],
    ["two recent failures", [4500, 4800], 5000, true],
    ["three recent failures", [4200, 4500, 4800], 5000, false],
    ["three failures, one outside the window", [3900, 4500, 4800], 5000, true],
  ])("%s", (_l, times, now, allowed) => {
    expect(signInAllowed(times as number[], now as number, limit).allowed).toBe(allowed);
  });
  it("says when to try again", () => {
    const d = signInAllowed([4200, 4500, 4800], 5000, limit);
    expect(d.allowed ? 0 : d.retryAfterMs).toBe(1000);
  });
});

describe("cookies", () => {
  it("sets an http-only same-site session cookie", () => {
    const c = sessionCookie("abc", false);
    expect(c).toContain("HttpOnly");
    expect(c).toContain("SameSite=Lax");
    expect(c).not.toContain("Secure");
    expect(sessionCookie("abc", true)).toContain("Secure");
  });
  it.each([
    ["a=1; vigil_session=xyz; b=2", "xyz"],
    ["vigil_session=a%20b", "a b"],
    ["other=1", undefined],
    [undefined, undefined],
  ])("reads %s", (header, want) => expect(readCookie(header, "vigil_session")).toBe(want));
});
