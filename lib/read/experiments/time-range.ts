// Time ranges the dashboard offers, as URL values. One table so every page agrees on their
// length and on the bucket size its charts use.
import { z } from "zod";

export const TIME_RANGES = ["1h", "24h", "7d", "30d", "90d"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
export const TimeRangeSchema = z.enum(TIME_RANGES);

const H = 3600_000;
export const RANGE_SPEC: Record<TimeRange, { label: string; ms: number; bucketMs: number }> = {
  "1h": { label: "Last hour", ms: H, bucketMs: 5 * 60_000 },
  "24h": { label: "Last 24 hours", ms: 24 * H, bucketMs: H },
  "7d": { label: "Last 7 days", ms: 7 * 24 * H, bucketMs: 6 * H },
  "30d": { label: "Last 30 days", ms: 30 * 24 * H, bucketMs: 24 * H },
  "90d": { label: "Last 90 days", ms: 90 * 24 * H, bucketMs: 24 * H },
};

/** A URL value as a range, falling back to the page's default for anything unknown. */
export function parseTimeRange(value: unknown, fallback: TimeRange): TimeRange {
  const r = TimeRangeSchema.safeParse(value);
  return r.success ? r.data : fallback;
}

/**
 * The window [from, to) of a range ending at `now`, with `to` rounded up to the bucket so
 * every bucket has the same length and a reload a second later draws the same buckets.
 */
export function rangeWindow(range: TimeRange, now: number): { from: number; to: number; bucketMs: number } {
  const { ms, bucketMs } = RANGE_SPEC[range];
  const to = Math.ceil(now / bucketMs) * bucketMs;
  return { from: to - ms, to, bucketMs };
}
