// The one parser for time inputs (query strings, JSON bodies, OTLP span times) and the one range
// every stored time must lie in, so a stored value always formats (RFC 3339 ends at year 9999).
import { z } from "zod";

/** 9999-12-31T23:59:59.999Z: the last instant RFC 3339 (and MLflow's Timestamp JSON) can print. */
export const MAX_TIME_MS = 253_402_300_799_999;

export const isTimeMs = (ms: number) => Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_TIME_MS;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp to ms since epoch; sub-millisecond digits are dropped. */
export function parseRfc3339(s: string): number | null {
  if (!RFC3339.test(s)) return null;
  // Date.parse only understands up to millisecond precision: cut longer fractions first.
  const ms = Date.parse(s.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * A point in time as ms since epoch: a number, a decimal string (query strings, int64 JSON) or
 * RFC 3339; outside [1970, 9999] is refused. Zod errors name the field ('end', 'start_time_ms').
 */
export const timeMs = z.union([z.number(), z.string().trim()]).transform((v, c) => {
  const ms = typeof v === "number" ? v : /^-?\d+$/.test(v) ? Number(v) : parseRfc3339(v);
  if (ms === null || !isTimeMs(ms)) {
    c.addIssue({ code: "custom", message: "must be ms since epoch (0 to 253402300799999) or an RFC 3339 timestamp" });
    return z.NEVER;
  }
  return ms;
});

/** OTLP times are unsigned nanoseconds (decimal strings); false when outside the stored range. */
export function nsInRange(ns: string): boolean {
  return /^\d{1,30}$/.test(ns) && BigInt(ns) / 1_000_000n <= BigInt(MAX_TIME_MS);
}

/** "2026-03-01" for any instant of that UTC day: the day key of budgets and usage rows. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Nanoseconds since epoch (decimal text, as OTLP sends them) to whole ms. */
export const nsToMs = (ns: string) => Number(BigInt(ns) / 1_000_000n);
