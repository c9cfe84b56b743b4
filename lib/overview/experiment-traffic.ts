import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { histogramQuantile, latencyBinSql } from "./latency-histogram";
import { rangeWindow, TimeRangeSchema } from "./time-range";

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
 * Traffic, errors and latency of one experiment over a range, bucketed for a chart. One GROUP BY
 * over (bucket, latency bin) on the experiment/time index keeps it fast at millions of traces.
 */
export function getExperimentTraffic({ ctx, input }: VerbArgs<GetExperimentTrafficInput>): ExperimentTraffic {
  const { experimentId, range } = GetExperimentTrafficInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  requireActiveExperiment(ctx.db, experimentId);
  const { from, to, bucketMs } = rangeWindow(range, ctx.now());
  const rows = ctx.db.$client
    .prepare(
      `SELECT CAST((request_time - @from) / @bucketMs AS INTEGER) AS b, state, ${latencyBinSql("execution_duration_ms")} AS lat, COUNT(*) AS n
       FROM traces WHERE experiment_id = @exp AND request_time >= @from AND request_time < @to
       GROUP BY b, state, lat`,
    )
    .all({ exp: experimentId, from, to, bucketMs }) as { b: number; state: string; lat: number | null; n: number }[];

  const count = Math.round((to - from) / bucketMs);
  const perBucket = Array.from({ length: count }, () => ({ traces: 0, errors: 0, bins: new Map<number, number>() }));
  const allBins = new Map<number, number>();
  let inProgress = 0;
  for (const r of rows) {
    const bucket = perBucket[r.b];
    if (!bucket) continue;
    bucket.traces += r.n;
    if (r.state === "ERROR") bucket.errors += r.n;
    if (r.state === "IN_PROGRESS") inProgress += r.n;
    // Unfinished traces have no duration yet; they count as traffic but not as latency.
    if (r.lat === null) continue;
    bucket.bins.set(r.lat, (bucket.bins.get(r.lat) ?? 0) + r.n);
    allBins.set(r.lat, (allBins.get(r.lat) ?? 0) + r.n);
  }
  const all = ctx.db.$client
    .prepare(`SELECT COUNT(*) AS n, MAX(request_time) AS last FROM traces WHERE experiment_id = ?`)
    .get(experimentId) as { n: number; last: number | null };
  const buckets = perBucket.map((b, i) => ({
    t: from + i * bucketMs,
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
      inProgress,
      p50Ms: histogramQuantile(allBins, 0.5),
      p95Ms: histogramQuantile(allBins, 0.95),
    },
    allTimeTraces: all.n,
    lastTraceAt: all.last,
  };
}
