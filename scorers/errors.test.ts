import { describe, expect, it } from "vitest";
import { isVigilError } from "@/lib/core/errors";
import { classifyFailure, isQuotaExhausted, ScorerError, toScorerError, type FailureKind } from "./errors";

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const named = (name: string) => Object.assign(new Error(name), { name });
const fetchFailed = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: withCode(code) });

const quota = JSON.stringify({
  error: {
    message: "You exceeded your current quota, please check your plan and billing details.",
    type: "insufficient_quota",
    param: null,
    code: "insufficient_quota",
  },
});
const rateLimit = JSON.stringify({
  error: { message: "Rate limit reached for gpt-4o-mini on tokens per min (TPM)", type: "tokens", code: "rate_limit_exceeded" },
});

const table: [label: string, failure: unknown, kind: FailureKind][] = [
  ["status 429", 429, "transient"],
  ["429 rate limit body", { status: 429, body: rateLimit }, "transient"],
  ["429 insufficient_quota body", { status: 429, body: quota }, "account"],
  ["429 quota in plain text", { status: 429, body: "insufficient_quota" }, "account"],
  ["status 500", 500, "transient"],
  ["status 502", { status: 502, body: "<html>Bad gateway</html>" }, "transient"],
  ["status 503", 503, "transient"],
  ["status 504", 504, "transient"],
  ["status 408 (a timeout)", 408, "transient"],
  ["status 401", 401, "account"],
  ["status 402", 402, "account"],
  ["status 403", { status: 403, body: "{}" }, "account"],
  ["status 400", 400, "permanent"],
  ["status 404", 404, "permanent"],
  ["status 413", 413, "permanent"],
  ["status 422", { status: 422, body: quota.replace(/insufficient_quota/g, "x") }, "permanent"],
  ["AbortSignal.timeout", named("TimeoutError"), "transient"],
  ["abort", named("AbortError"), "transient"],
  ["undici connection refused", fetchFailed("ECONNREFUSED"), "transient"],
  ["undici socket reset", fetchFailed("UND_ERR_SOCKET"), "transient"],
  ["fetch failed without a cause", new TypeError("fetch failed"), "transient"],
  ["ECONNRESET", withCode("ECONNRESET"), "transient"],
  ["DNS hiccup", withCode("EAI_AGAIN"), "transient"],
  ["a bug in scorer code", new TypeError("Cannot read properties of undefined (reading 'content')"), "permanent"],
  ["a plain error", new Error("boom"), "permanent"],
  ["a thrown string", "boom", "permanent"],
  ["undefined", undefined, "permanent"],
  ["a ScorerError keeps its kind", new ScorerError("account", "bad key"), "account"],
];

describe("classifyFailure", () => {
  it.each(table)("%s -> %s", (_label, failure, kind) => {
    expect(classifyFailure(failure)).toBe(kind);
  });

  it("tells quota exhaustion from rate limiting", () => {
    expect(isQuotaExhausted(quota)).toBe(true);
    expect(isQuotaExhausted(rateLimit)).toBe(false);
    expect(isQuotaExhausted(undefined)).toBe(false);
  });
});

describe("ScorerError", () => {
  it("is part of Vigil's error hierarchy and carries its classification", () => {
    const e = new ScorerError("transient", "slow down", { httpStatus: 429, retryAfterMs: 2000 });
    expect(isVigilError(e)).toBe(true);
    expect(e).toMatchObject({ name: "ScorerError", kind: "transient", httpStatus: 429, retryAfterMs: 2000, code: "INTERNAL_ERROR" });
  });

  it("wraps other errors with their classification and the original as cause", () => {
    const cause = fetchFailed("ECONNREFUSED");
    const e = toScorerError(cause, "judge");
    expect(e).toMatchObject({ kind: "transient", message: "judge: fetch failed" });
    expect(e.cause).toBe(cause);
    const same = new ScorerError("permanent", "x");
    expect(toScorerError(same, "ignored")).toBe(same);
  });
});
