import { describe, expect, it } from "vitest";
import { backoffDelayMs, decideAttempt, describeFailure, networkErrorCode, parseRetryAfter, type AttemptFailure, type Effect } from "./retry-policy";

const http = (status: number): AttemptFailure => ({ kind: "http", status, errorCode: `HTTP_${status}`, message: "" });
const net = (code?: string): AttemptFailure => ({ kind: "network", code, message: "fetch failed" });
const timeout: AttemptFailure = { kind: "timeout", afterMs: 30_000 };

describe("decideAttempt: the exactly-once rule", () => {
  it.each<[string, AttemptFailure, Effect, { transient: boolean; retry: boolean; ambiguous: boolean }]>([
    ["429 on a create: refused before doing anything", http(429), "create", { transient: true, retry: true, ambiguous: false }],
    ["429 on a read", http(429), "read", { transient: true, retry: true, ambiguous: false }],
    ["500 on a read", http(500), "read", { transient: true, retry: true, ambiguous: false }],
    ["500 on a create: may have been applied", http(500), "create", { transient: true, retry: false, ambiguous: true }],
    ["503 on a create is no safer than 500", http(503), "create", { transient: true, retry: false, ambiguous: true }],
    ["502 on an idempotent write: retried, but may have been applied", http(502), "idempotent", { transient: true, retry: true, ambiguous: true }],
    ["404: a definitive answer", http(404), "read", { transient: false, retry: false, ambiguous: false }],
    ["400 on a create", http(400), "create", { transient: false, retry: false, ambiguous: false }],
    ["connection refused on a create: nothing was sent", net("ECONNREFUSED"), "create", { transient: true, retry: true, ambiguous: false }],
    ["DNS failure on a create", net("ENOTFOUND"), "create", { transient: true, retry: true, ambiguous: false }],
    ["connect timeout on a create", net("UND_ERR_CONNECT_TIMEOUT"), "create", { transient: true, retry: true, ambiguous: false }],
    ["reset on a create: may have been applied", net("ECONNRESET"), "create", { transient: true, retry: false, ambiguous: true }],
    ["reset on a read", net("ECONNRESET"), "read", { transient: true, retry: true, ambiguous: false }],
    ["an uncoded network error on an idempotent write", net(), "idempotent", { transient: true, retry: true, ambiguous: true }],
    ["timeout on a create", timeout, "create", { transient: true, retry: false, ambiguous: true }],
    ["timeout on a read", timeout, "read", { transient: true, retry: true, ambiguous: false }],
  ])("%s", (_, failure, effect, expected) => expect(decideAttempt(failure, effect)).toEqual(expected));
});

describe("backoffDelayMs", () => {
  const b = { baseMs: 250, maxMs: 10_000, factor: 2 };
  it.each<[number, number, number | undefined, number]>([
    [1, 0, undefined, 125],
    [1, 1, undefined, 250],
    [2, 0.5, undefined, 375],
    [3, 0, undefined, 500],
    [20, 0, undefined, 5000], // capped at maxMs before jitter
    [20, 1, undefined, 10_000],
    [1, 0.5, 3000, 3000], // Retry-After wins over the exponential wait
    [1, 0.5, 60_000, 10_000], // and is capped at maxMs
    [4, 0.5, 0, 0],
  ])("retry %i with random %f and Retry-After %s waits %i ms", (retry, random, retryAfter, ms) =>
    expect(backoffDelayMs(retry, b, random, retryAfter)).toBe(ms),
  );
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2015, 9, 21, 7, 27, 55);
  it.each<[string | null, number | undefined]>([
    ["3", 3000],
    [" 1.5 ", 1500],
    ["0", 0],
    ["Wed, 21 Oct 2015 07:28:00 GMT", 5000],
    ["Wed, 21 Oct 2015 07:00:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    [null, undefined],
  ])("%j -> %s ms", (header, ms) => expect(parseRetryAfter(header, now)).toBe(ms));
});

describe("networkErrorCode", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it.each<[string, unknown, string | undefined]>([
    ["Node fetch's TypeError with a coded cause", new TypeError("fetch failed", { cause: coded("ECONNRESET") }), "ECONNRESET"],
    ["a cause of a cause", new TypeError("fetch failed", { cause: new Error("socket", { cause: coded("EPIPE") }) }), "EPIPE"],
    [
      "an AggregateError from connecting to several addresses",
      new TypeError("fetch failed", { cause: new AggregateError([coded("ECONNREFUSED")]) }),
      "ECONNREFUSED",
    ],
    ["undici's own codes", new TypeError("fetch failed", { cause: coded("UND_ERR_SOCKET") }), "UND_ERR_SOCKET"],
    ["no code anywhere", new TypeError("fetch failed"), undefined],
    ["not an object", "boom", undefined],
  ])("%s", (_, e, code) => expect(networkErrorCode(e)).toBe(code));
});

describe("describeFailure", () => {
  it.each<[AttemptFailure, string]>([
    [net("ECONNREFUSED"), "connection refused (ECONNREFUSED)"],
    [net("ECONNRESET"), "connection reset (ECONNRESET)"],
    [net("EPIPE"), "network error (EPIPE)"],
    [net(), "network error: fetch failed"],
    [timeout, "no answer within 30000 ms"],
    [{ kind: "http", status: 503, errorCode: "TEMPORARILY_UNAVAILABLE", message: "try later" }, "answered 503 TEMPORARILY_UNAVAILABLE: try later"],
  ])("%j", (f, text) => expect(describeFailure(f)).toBe(text));
});
