// Sign-in throttling with back-off: a few free failures per key, then each further failure
// doubles the wait, up to a cap. Refused attempts are not counted, so a wait never grows past the
// cap and a stranger can delay a user, never lock them out for good. Pure, table-tested.
export interface BackoffLimit {
  /** Failures within the window that cost nothing. */
  free: number;
  /** Wait after the first failure past the free ones; doubled by each further one. */
  baseMs: number;
  maxMs: number;
  windowMs: number;
}

const MIN = 60_000;
/**
 * Keys: one user from one address (guessing one account), one address (spraying many accounts)
 * and one user from anywhere (a distributed guess, capped low so the owner still gets in).
 */
export const SIGN_IN_LIMITS = {
  pair: { free: 5, baseMs: 30_000, maxMs: 15 * MIN, windowMs: 15 * MIN },
  address: { free: 20, baseMs: 30_000, maxMs: 15 * MIN, windowMs: 15 * MIN },
  user: { free: 20, baseMs: 5_000, maxMs: MIN, windowMs: 15 * MIN },
} as const satisfies Record<string, BackoffLimit>;

export const SIGN_IN_WINDOW_MS = 15 * MIN;

export type SignInDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export function signInAllowed(failureTimes: readonly number[], now: number, limit: BackoffLimit): SignInDecision {
  const recent = failureTimes.filter((t) => t > now - limit.windowMs && t <= now);
  if (recent.length < limit.free) return { allowed: true };
  const last = Math.max(...recent);
  const wait = Math.min(limit.maxMs, limit.baseMs * 2 ** (recent.length - limit.free));
  const retryAfterMs = last + wait - now;
  return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
}
