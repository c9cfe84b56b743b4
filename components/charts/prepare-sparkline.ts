// A scorer's last 24 hours as a sparkline: scores per hour with the errors among them.
import { countOf } from "@/lib/core/plural";
import { formatBucketLabel } from "../format";

export interface SparkBucketIn {
  t: number;
  count: number;
  errors: number;
}

export interface SparkPoint {
  label: string;
  ok: number;
  errors: number;
}

export interface Sparkline {
  points: SparkPoint[];
  empty: boolean;
  /** A screen reader's version of the picture. */
  summary: string;
}

export function prepareSparkline(buckets: readonly SparkBucketIn[]): Sparkline {
  const points = buckets.map((b) => ({ label: formatBucketLabel(b.t, 3600_000), ok: Math.max(0, b.count - b.errors), errors: b.errors }));
  const total = buckets.reduce((s, b) => s + b.count, 0);
  const errors = buckets.reduce((s, b) => s + b.errors, 0);
  const busiest = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  return {
    points,
    empty: total === 0,
    summary:
      total === 0 ? "No scores in the last 24 hours" : `${countOf(total, "score")} in 24 hours, ${countOf(errors, "error")}, at most ${busiest} in one hour`,
  };
}
