import { z } from "zod";
import { cachedStatement } from "@/db/cached-statement";
import { requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { histogramQuantile } from "@/lib/core/latency-histogram";
import { rangeWindow, TimeRangeSchema } from "@/lib/read/experiments/time-range";

export const GetExperimentTrafficInput = z.object({
  experimentId: experimentIdString,
  range: TimeRangeSchema.default("24h"),
});
export type GetExperimentTrafficInput = z.input<typeof GetExperimentTrafficInput>;

export interface TrafficBucket {
  /** Bucket start, ms since epoch. */
  t: number;
  traces: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ExperimentTraffic {
  from: number;
  to: number;
  bucketMs: number;
  buckets: TrafficBucket[];
  totals: { traces: number; errors: number; inProgress: number; p50Ms: number | null; p95Ms: number | null };
  /** Every trace ever stored in the experiment, so an empty window can tell "quiet" from "never used". */
  allTimeTraces: number;
  lastTraceAt: number | null;
}

/**
 * Traffic, errors and latency of one experiment over a range, bucketed for a chart, from the
 * `traffic` record both stores write (5-minute buckets with a 5%-wide latency histogram): exact
 * counts, percentiles within 5%, and a 30-day window is at most 8,640 small rows. A trace counts
 * once it is complete; traces Vigil holds that are still receiving spans are `inProgress`.
 */
export function getExperimentTraffic({ ctx, input }: VerbArgs<GetExperimentTrafficInput>): ExperimentTraffic {
  const { experimentId, range } = GetExperimentTrafficInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  requireActiveExperiment(ctx.db, experimentId);
  const db = ctx.db.$client;
  const { from, to, bucketMs } = rangeWindow(range, ctx.now());
  const rows = cachedStatement(
    db,
    "SELECT bucket_ms, traces, errors, latency FROM traffic WHERE experiment_id = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms",
  ).all(experimentId, from, to) as { bucket_ms: number; traces: number; errors: number; latency: string }[];
  const n = Math.round((to - from) / bucketMs);
  const perBucket = Array.from({ length: n }, (_, i) => ({ t: from + i * bucketMs, traces: 0, errors: 0, bins: new Map<number, number>() }));
  const allBins = new Map<number, number>();
  for (const r of rows) {
    const b = perBucket[Math.floor((r.bucket_ms - from) / bucketMs)];
    if (!b) continue;
    b.traces += r.traces;
    b.errors += r.errors;
    for (const [bin, c] of Object.entries(JSON.parse(r.latency) as Record<string, number>)) {
      b.bins.set(Number(bin), (b.bins.get(Number(bin)) ?? 0) + c);
      allBins.set(Number(bin), (allBins.get(Number(bin)) ?? 0) + c);
    }
  }
  const all = cachedStatement(db, "SELECT COALESCE(SUM(traces), 0) AS n, MAX(last_trace_at) AS last FROM traffic WHERE experiment_id = ?").get(
    experimentId,
  ) as {
    n: number;
    last: number | null;
  };
  // Not yet counted: only Vigil's own store holds traces that are still open (none in remote mode).
  const open = cachedStatement(
    db,
    "SELECT COUNT(*) AS inWindow, (SELECT COUNT(*) FROM traces WHERE experiment_id = @e AND completed_at IS NULL) AS ever FROM traces WHERE experiment_id = @e AND completed_at IS NULL AND request_time >= @from AND request_time < @to",
  ).get({ e: experimentId, from, to }) as { inWindow: number; ever: number };
  const buckets = perBucket.map((b) => ({
    t: b.t,
    traces: b.traces,
    errors: b.errors,
    p50Ms: histogramQuantile(b.bins, 0.5),
    p95Ms: histogramQuantile(b.bins, 0.95),
  }));
  return {
    from,
    to,
    bucketMs,
    buckets,
    totals: {
      traces: buckets.reduce((s, b) => s + b.traces, 0),
      errors: buckets.reduce((s, b) => s + b.errors, 0),
      inProgress: open.inWindow,
      p50Ms: histogramQuantile(allBins, 0.5),
      p95Ms: histogramQuantile(allBins, 0.95),
    },
    allTimeTraces: all.n + open.ever,
    lastTraceAt: all.last,
  };
}
