// Experiment traffic → rows the traffic and latency charts draw as they are.
import { formatBucketLabel } from "../format";

export interface TrafficBucketIn {
  t: number;
  traces: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TrafficPoint {
  t: number;
  label: string;
  ok: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

export interface TrafficChartData {
  points: TrafficPoint[];
  /** True when the window has no traces, so the chart can say so instead of drawing a flat line. */
  empty: boolean;
  hasLatency: boolean;
}

export function prepareTraffic(buckets: readonly TrafficBucketIn[], bucketMs: number): TrafficChartData {
  const points = buckets.map((b) => ({
    t: b.t,
    label: formatBucketLabel(b.t, bucketMs),
    ok: b.traces - b.errors,
    errors: b.errors,
    p50: b.p50Ms,
    p95: b.p95Ms,
  }));
  return {
    points,
    empty: buckets.every((b) => b.traces === 0),
    hasLatency: buckets.some((b) => b.p95Ms !== null),
  };
}
