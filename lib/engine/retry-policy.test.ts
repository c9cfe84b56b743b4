import { describe, expect, it } from "vitest";
import { backoffDelayMs, decideFailure, ERROR_CODES, failureReason, type RetryPolicy } from "./retry-policy";

const policy: RetryPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 4 };
const low = () => 0;
const high = () => 0.999999;

describe("backoffDelayMs", () => {
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [4, 4000, 8000],
    [7, 30_000, 60_000], // 64 s capped at 60 s
    [40, 30_000, 60_000],
  ])("attempt %i lies within [%i, %i]", (attempt, min, max) => {
    expect(backoffDelayMs(attempt, policy, low)).toBe(min);
    expect(backoffDelayMs(attempt, policy, high)).toBeLessThanOrEqual(max);
    expect(backoffDelayMs(attempt, policy, high)).toBeGreaterThan(max - 2);
  });

  it("spreads retries: different random draws give different delays", () => {
    const seen = new Set([0.1, 0.4, 0.7, 0.9].map((r) => backoffDelayMs(3, policy, () => r)));
    expect(seen.size).toBe(4);
  });
});

describe("decideFailure", () => {
  it.each([
    ["account -> pause", { kind: "account", attempts: 1, timedOut: false, message: "HTTP 401" }, { action: "pause", reason: "HTTP 401" }],
    [
      "permanent -> record now",
      { kind: "permanent", attempts: 1, timedOut: false, message: "bad answer" },
      { action: "record", errorCode: ERROR_CODES.permanent, message: "bad answer" },
    ],
    ["transient, attempts left -> retry", { kind: "transient", attempts: 2, timedOut: false, message: "HTTP 500" }, { action: "retry", delayMs: 1000 }],
    ["timeout, attempts left -> retry", { kind: "transient", attempts: 1, timedOut: true, message: "timed out" }, { action: "retry", delayMs: 500 }],
    [
      "transient exhausted -> record",
      { kind: "transient", attempts: 4, timedOut: false, message: "HTTP 503" },
      { action: "record", errorCode: ERROR_CODES.exhausted, message: "Gave up after 4 attempts: HTTP 503" },
    ],
    [
      "timeout exhausted -> record as timeout",
      { kind: "transient", attempts: 5, timedOut: true, message: "timed out" },
      { action: "record", errorCode: ERROR_CODES.timeout, message: "Gave up after 5 attempts: timed out" },
    ],
    [
      "Retry-After wins when longer",
      { kind: "transient", attempts: 1, timedOut: false, retryAfterMs: 7000, message: "429" },
      { action: "retry", delayMs: 7000 },
    ],
    ["Retry-After is capped", { kind: "transient", attempts: 1, timedOut: false, retryAfterMs: 10 ** 9, message: "429" }, { action: "retry", delayMs: 60_000 }],
  ] as const)("%s", (_, facts, want) => {
    expect(decideFailure(facts, policy, low)).toEqual(want);
  });
});

describe("failureReason", () => {
  it.each([
    [{ kind: "transient", timedOut: true }, "timeout"],
    [{ kind: "transient", timedOut: false, httpStatus: 429 }, "rate_limited"],
    [{ kind: "transient", timedOut: false, httpStatus: 503 }, "server_error"],
    [{ kind: "transient", timedOut: false }, "network"],
    [{ kind: "account", timedOut: false, httpStatus: 401 }, "account"],
    [{ kind: "permanent", timedOut: false, httpStatus: 400 }, "scorer_error"],
  ] as const)("%j -> %s", (f, want) => {
    expect(failureReason(f)).toBe(want);
  });
});
