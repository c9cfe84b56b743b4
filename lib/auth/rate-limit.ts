/** Sign-in throttling: at most `max` failures per key within `windowMs`; pure so it is table-tested. */
export const SIGN_IN_LIMIT = { max: 5, windowMs: 15 * 60_000 } as const;

export function signInAllowed(failureTimes: number[], now: number, limit: { max: number; windowMs: number } = SIGN_IN_LIMIT) {
  const recent = failureTimes.filter((t) => t > now - limit.windowMs).sort((a, b) => a - b);
  if (recent.length < limit.max) return { allowed: true as const };
  // Allowed again once the oldest failure counted leaves the window.
  const retryAfterMs = recent[recent.length - limit.max]! + limit.windowMs - now;
  return { allowed: false as const, retryAfterMs: Math.max(1000, retryAfterMs) };
}
