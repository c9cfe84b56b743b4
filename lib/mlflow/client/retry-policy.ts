// Pure decisions of the request core: what one failed attempt means, whether to try again, and
// how long to wait. The exactly-once rule lives here, so it is tested as a table.
import { jitteredBackoffMs, type Backoff } from "@/lib/core/backoff";

/** What a request does to the server, which decides what may be retried. */
export type Effect =
  /** Reads (GET, searches): every transient failure is retried; nothing can have been applied. */
  | "read"
  /** Writes that give the same result when repeated (PUT config, PATCH, DELETE). */
  | "idempotent"
  /** Creates something (a second success would duplicate it): retried only when certainly not applied. */
  | "create";

export type AttemptFailure =
  | { kind: "http"; status: number; retryAfterMs?: number; errorCode: string; message: string }
  /** fetch threw: `code` from the error chain (ECONNREFUSED, ECONNRESET, ...) when there is one. */
  | { kind: "network"; code?: string; message: string }
  /** No answer within the per-attempt timeout. */
  | { kind: "timeout"; afterMs: number };

export interface AttemptDecision {
  /** Transient: another attempt may succeed. False: the failure is the answer (4xx) or retrying is unsafe. */
  transient: boolean;
  retry: boolean;
  /** This attempt may have changed server state (it reached the server and we saw no clear outcome). */
  ambiguous: boolean;
}

// Errors raised while connecting, before any byte of the request left: the server cannot have
// applied it. (A reset or timeout after connecting can happen after the server acted.)
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export function decideAttempt(f: AttemptFailure, effect: Effect): AttemptDecision {
  if (f.kind === "http") {
    // 429 means the server refused before doing anything: safe to repeat even a create.
    if (f.status === 429) return { transient: true, retry: true, ambiguous: false };
    if (f.status >= 500) return { transient: true, retry: effect !== "create", ambiguous: effect !== "read" };
    return { transient: false, retry: false, ambiguous: false };
  }
  const notSent = f.kind === "network" && f.code !== undefined && NOT_SENT_CODES.has(f.code);
  if (notSent) return { transient: true, retry: true, ambiguous: false };
  return { transient: true, retry: effect !== "create", ambiguous: effect !== "read" };
}

/**
 * The wait before retry number `retry` (1 = the first retry): lib/core/backoff.ts's jittered
 * exponential, so many clients do not retry in step. A server's Retry-After wins, capped at
 * maxMs so a bad header cannot stall a worker for hours.
 */
export function backoffDelayMs(retry: number, b: Backoff, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), b.maxMs);
  return jitteredBackoffMs(retry, b, random);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isFinite(at) && /[a-z]/i.test(t) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * The system error code of a fetch failure. Node's fetch throws TypeError("fetch failed") whose
 * cause (or a cause of it, or one of an AggregateError's errors) carries the code.
 */
export function networkErrorCode(e: unknown, depth = 0): string | undefined {
  if (depth > 5 || e === null || typeof e !== "object") return undefined;
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof o.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(o.code)) return o.code;
  const fromCause = networkErrorCode(o.cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(o.errors)) {
    for (const inner of o.errors) {
      const c = networkErrorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return undefined;
}

/** A short, secret-free description of a failed attempt for error messages and reachability. */
export function describeFailure(f: AttemptFailure): string {
  if (f.kind === "timeout") return `no answer within ${f.afterMs} ms`;
  if (f.kind === "network") {
    if (f.code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
    if (f.code === "ECONNRESET") return "connection reset (ECONNRESET)";
    return f.code ? `network error (${f.code})` : `network error: ${f.message}`;
  }
  return `answered ${f.status} ${f.errorCode}${f.message ? `: ${f.message}` : ""}`;
}
