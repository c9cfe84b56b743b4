// The one backoff: an exponential delay, capped, with "equal jitter" where many clients might
// otherwise retry in step. The engine's scoring retries, the MLflow client's HTTP retries and
// alert deliveries all wait this way; each keeps its own settings.

export interface Backoff {
  /** The first wait (attempt 1). */
  baseMs: number;
  /** No wait is longer. */
  maxMs: number;
  /** Growth per attempt; 2 unless said otherwise. */
  factor?: number;
}

/** The capped exponential wait after `attempt` failures (1 = after the first one). */
export function backoffCapMs(attempt: number, b: Backoff): number {
  return Math.min(b.maxMs, b.baseMs * (b.factor ?? 2) ** Math.max(0, attempt - 1));
}

/**
 * The same wait with "equal jitter": half of it fixed, half random (`random` in [0, 1)), so
 * retries spread out after an outage yet still grow.
 */
export function jitteredBackoffMs(attempt: number, b: Backoff, random: number): number {
  const half = backoffCapMs(attempt, b) / 2;
  return Math.round(half + random * half);
}
