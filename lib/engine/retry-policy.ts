// What the engine does after a failed scoring attempt. Pure: the caller passes the attempt count
// and a random source, and stores the answer (next_attempt_at) so a retry survives a restart.
import { jitteredBackoffMs } from "@/lib/core/backoff";
import type { FailureKind } from "@/scorers";

export interface RetryPolicy {
  /** Delay cap for the first retry; doubles with each attempt. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
  /** Attempts in all (the first one included) before a transient failure becomes an error. */
  maxAttempts: number;
}

/**
 * The wait before the next attempt (lib/core/backoff.ts, equal jitter: no thundering herd after a
 * judge outage). `attempt` is the number of attempts made so far (1 after the first failure).
 */
export function backoffDelayMs(attempt: number, p: Pick<RetryPolicy, "baseMs" | "maxMs">, random: () => number): number {
  return jitteredBackoffMs(attempt, p, random());
}

export interface FailureFacts {
  kind: FailureKind;
  /** Attempts made so far, this one included. */
  attempts: number;
  timedOut: boolean;
  /** The provider's Retry-After, if it sent one. */
  retryAfterMs?: number;
  message: string;
}

export type FailureAction =
  { action: "retry"; delayMs: number } | { action: "record"; errorCode: string; message: string } | { action: "pause"; reason: string };

/** Error codes of engine error assessments (feedback.error.error_code). */
export const ERROR_CODES = {
  permanent: "SCORER_ERROR",
  timeout: "SCORER_TIMEOUT",
  exhausted: "RETRIES_EXHAUSTED",
} as const;

/**
 * transient -> retry with backoff until maxAttempts, then an error assessment (a timeout says so);
 * permanent -> an error assessment now; account -> pause the scorer and keep the work pending.
 */
export function decideFailure(f: FailureFacts, p: RetryPolicy, random: () => number): FailureAction {
  if (f.kind === "account") return { action: "pause", reason: f.message };
  if (f.kind === "permanent") return { action: "record", errorCode: ERROR_CODES.permanent, message: f.message };
  if (f.attempts >= p.maxAttempts) {
    return {
      action: "record",
      errorCode: f.timedOut ? ERROR_CODES.timeout : ERROR_CODES.exhausted,
      message: `Gave up after ${f.attempts} attempts: ${f.message}`,
    };
  }
  const delay = Math.max(backoffDelayMs(f.attempts, p, random), Math.min(f.retryAfterMs ?? 0, p.maxMs));
  return { action: "retry", delayMs: delay };
}

/** A short label for the funnel's "retried"/"failed" reasons. */
export function failureReason(f: { kind: FailureKind; timedOut: boolean; httpStatus?: number }): string {
  if (f.timedOut) return "timeout";
  if (f.kind === "account") return "account";
  if (f.httpStatus === 429) return "rate_limited";
  if (f.httpStatus !== undefined && f.httpStatus >= 500) return "server_error";
  if (f.kind === "transient") return "network";
  return "scorer_error";
}
