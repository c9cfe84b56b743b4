import type Database from "better-sqlite3";
import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { isLinkedExperiment } from "@/lib/remote/linked";
import { histogramQuantile, latencyBinSql } from "./latency-histogram";
import { rangeWindow, TimeRangeSchema } from "./time-range";

export const GetExperimentTrafficInput = z.object({
  experimentId: experimentIdString,
  range: TimeRangeSchema.default("24h"),
  /** Latency percentiles read at most about this many traces (a time-stratified sample above it). */
  latencySample: z.number().int().min(10).default(30_000),
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
  /** Share of the window's traces the latency percentiles were computed from (1: all of them). */
  latencySampleShare: number;
  /** Every trace ever stored in the experiment, so an empty window can tell "quiet" from "never used". */
  allTimeTraces: number;
  lastTraceAt: number | null;
}

interface BucketAcc {
  t: number;
  traces: number;
  errors: number;
  bins: Map<number, number>;
}

/** The chart's buckets and totals from per-bucket counts and latency histograms. */
function summarise(
  w: { from: number; to: number; bucketMs: number },
  perBucket: readonly BucketAcc[],
  allBins: ReadonlyMap<number, number>,
  extra: { inProgress: number; share: number; all: { n: number; last: number | null } },
): ExperimentTraffic {
  const buckets = perBucket.map((b) => ({ t: b.t, traces: b.traces, errors: b.errors, p50Ms: histogramQuantile(b.bins, 0.5), p95Ms: histogramQuantile(b.bins, 0.95) }));
  return {
    ...w,
    buckets,
    totals: {
      traces: buckets.reduce((s, b) => s + b.traces, 0),
      errors: buckets.reduce((s, b) => s + b.errors, 0),
      inProgress: extra.inProgress,
      p50Ms: histogramQuantile(allBins, 0.5),
      p95Ms: histogramQuantile(allBins, 0.95),
    },
    latencySampleShare: extra.share,
    allTimeTraces: extra.all.n,
    lastTraceAt: extra.all.last,
  };
}

/**
 * A remote MLflow experiment's traffic, from what online scoring recorded as it read the traces
 * (remote_traffic, 5-minute buckets with latency histograms): exact counts and percentiles.
 */
function remoteTraffic(db: Database.Database, experimentId: number, from: number, to: number, bucketMs: number): ExperimentTraffic {
  const rows = db
    .prepare("SELECT bucket_ms, traces, errors, latency FROM remote_traffic WHERE experiment_id = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms")
    .all(experimentId, from, to) as { bucket_ms: number; traces: number; errors: number; latency: string }[];
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
  const all = db.prepare("SELECT COALESCE(SUM(traces), 0) AS n, MAX(last_trace_at) AS last FROM remote_traffic WHERE experiment_id = ?").get(experimentId) as {
    n: number;
    last: number | null;
  };
  return summarise({ from, to, bucketMs }, perBucket, allBins, { inProgress: 0, share: 1, all });
}

// Each bucket is read as this many evenly spaced slices when latency is sampled, so the sample
// follows the day's traffic pattern instead of favouring the start of a bucket.
const SLICES_PER_BUCKET = 12;

/**
 * Traffic, errors and latency of one experiment over a range, bucketed for a chart. Counts are
 * exact and read only indexes (per-bucket COUNT on experiment/time, errors on experiment/state);
 * latency percentiles come from a 5%-wide histogram over all traces, or over a time-stratified
 * sample of about `latencySample` of them in large windows, so 30 days of a million traces cost
 * about 0.1 s.
 */
export function getExperimentTraffic({ ctx, input }: VerbArgs<GetExperimentTrafficInput>): ExperimentTraffic {
  const { experimentId, range, latencySample } = GetExperimentTrafficInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  requireActiveExperiment(ctx.db, experimentId);
  const db = ctx.db.$client;
  const { from, to, bucketMs } = rangeWindow(range, ctx.now());
  if (isLinkedExperiment(ctx.db, experimentId)) return remoteTraffic(db, experimentId, from, to, bucketMs);
  const n = Math.round((to - from) / bucketMs);
  const perBucket = Array.from({ length: n }, (_, i) => ({ t: from + i * bucketMs, traces: 0, errors: 0, bins: new Map<number, number>() }));

  const count = db.prepare(`SELECT COUNT(*) AS n FROM traces WHERE experiment_id = ? AND request_time >= ? AND request_time < ?`);
  for (const b of perBucket) b.traces = (count.get(experimentId, b.t, b.t + bucketMs) as { n: number }).n;
  let inProgress = 0;
  const flagged = db
    .prepare(
      `SELECT CAST((request_time - @from) / @bucketMs AS INTEGER) AS b, state, COUNT(*) AS n FROM traces
       WHERE experiment_id = @exp AND state IN ('ERROR', 'IN_PROGRESS') AND request_time >= @from AND request_time < @to GROUP BY b, state`,
    )
    .all({ exp: experimentId, from, to, bucketMs }) as { b: number; state: string; n: number }[];
  for (const r of flagged) {
    if (r.state === "IN_PROGRESS") inProgress += r.n;
    else if (perBucket[r.b]) perBucket[r.b]!.errors += r.n;
  }

  const total = perBucket.reduce((a, b) => a + b.traces, 0);
  const share = total <= latencySample ? 1 : latencySample / total;
  // Unfinished traces have no duration yet: they count as traffic, not as latency.
  const latency = db.prepare(
    `SELECT ${latencyBinSql("execution_duration_ms")} AS lat, COUNT(*) AS n FROM traces
     WHERE experiment_id = ? AND request_time >= ? AND request_time < ? AND execution_duration_ms IS NOT NULL GROUP BY lat`,
  );
  const allBins = new Map<number, number>();
  const sliceMs = bucketMs / SLICES_PER_BUCKET;
  for (const b of perBucket) {
    if (b.traces === 0) continue;
    const windows = share === 1 ? [[b.t, b.t + bucketMs]] : Array.from({ length: SLICES_PER_BUCKET }, (_, j) => [b.t + j * sliceMs, b.t + j * sliceMs + sliceMs * share]);
    for (const [start, end] of windows) {
      for (const r of latency.all(experimentId, Math.floor(start!), Math.floor(end!)) as { lat: number; n: number }[]) {
        b.bins.set(r.lat, (b.bins.get(r.lat) ?? 0) + r.n);
        allBins.set(r.lat, (allBins.get(r.lat) ?? 0) + r.n);
      }
    }
  }

  const all = db.prepare(`SELECT COUNT(*) AS n, MAX(request_time) AS last FROM traces WHERE experiment_id = ?`).get(experimentId) as { n: number; last: number | null };
  return summarise({ from, to, bucketMs }, perBucket, allBins, { inProgress, share, all });
}
