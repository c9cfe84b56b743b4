import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { signInAllowed } from "./rate-limit";
import { readCookie, sessionCookie } from "./cookies";
import { safeNextPath } from "./redirect";

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

describe("sign-in throttling with back-off", () => {
  const limit = { free: 3, baseMs: 1000, maxMs: 8000, windowMs: 60_000 };
  it.each<[string, number[], number, boolean | number]>([
    ["no failures", [], 5000, true],
    ["two failures", [4500, 4800], 5000, true],
    ["three failures: wait the base after the last", [4200, 4500, 4800], 5000, 800],
    ["three failures, base elapsed", [4200, 4500, 4800], 5800, true],
    ["four failures: the wait doubles", [1000, 2000, 3000, 4000], 5000, 1000],
    ["five failures: doubles again", [1000, 2000, 3000, 4000, 4500], 5000, 3500],
    ["many failures: capped, never a wall", Array.from({ length: 40 }, (_, i) => 10_000 + i), 10_039, 8000],
    ["capped wait elapsed", Array.from({ length: 40 }, (_, i) => 10_000 + i), 18_040, true],
    ["old failures leave the window", [1, 2, 3, 4, 5, 6], 70_000, true],
  ])("%s", (_l, times, now, want) => {
    const d = signInAllowed(times, now, limit);
    if (want === true) expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, retryAfterMs: want });
  });
});

describe("where to go after sign-in", () => {
  it.each([
    ["/experiments/1?tab=traces#x", "/experiments/1?tab=traces#x"],
    ["/", "/"],
    ["//evil.example/phish", "/"],
    ["/\\evil.example/phish", "/"],
    ["/\\/evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/.//evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["evil.example", "/"],
    ["/%5Cevil.example/phish", "/%5Cevil.example/phish"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    [undefined, "/"],
  ])("%j → %j", (next, want) => expect(safeNextPath(next)).toBe(want));
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
