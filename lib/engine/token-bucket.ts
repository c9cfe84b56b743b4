// Request-rate limit for LLM judges: a token bucket as a pure value. The caller keeps the state
// and passes the clock, so the limiter is tested without waiting.

export interface TokenBucket {
  /** Tokens available at `at`; fractional while refilling. */
  tokens: number;
  at: number;
}

export interface BucketLimits {
  /** Tokens added per second. */
  ratePerSec: number;
  /** The most tokens the bucket holds: how large a burst may be. */
  burst: number;
}

export const fullBucket = (limits: BucketLimits, now: number): TokenBucket => ({ tokens: limits.burst, at: now });

/** The bucket at `now`: refilled for the time elapsed, never above burst. A clock going back adds nothing. */
export function refill(b: TokenBucket, limits: BucketLimits, now: number): TokenBucket {
  if (now <= b.at) return b;
  return { tokens: Math.min(limits.burst, b.tokens + ((now - b.at) / 1000) * limits.ratePerSec), at: now };
}

/** Takes one token if there is one; otherwise says how long until there will be. */
export function tryTake(b: TokenBucket, limits: BucketLimits, now: number): { ok: boolean; bucket: TokenBucket; waitMs: number } {
  const r = refill(b, limits, now);
  if (r.tokens >= 1) return { ok: true, bucket: { tokens: r.tokens - 1, at: r.at }, waitMs: 0 };
  return { ok: false, bucket: r, waitMs: Math.ceil(((1 - r.tokens) / limits.ratePerSec) * 1000) };
}

/** Whole tokens available at `now` without taking any. */
export function available(b: TokenBucket, limits: BucketLimits, now: number): number {
  return Math.floor(refill(b, limits, now).tokens);
}
