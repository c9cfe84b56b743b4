import { z } from "zod";
import { InvalidParameterError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { DAY_MS, HISTOGRAM_EDGES } from "./point-sql";
import { bucketMs, bucketStartOf, mergeRows, summarize, versionOut, type Bucket, type RollupRow, type Summary } from "./rollup-math";
import { timeMs } from "./time-input";

// Wider ranges are asked for by mistake, and would answer thousands of points per version.
const MAX_RANGE_MS: Record<Bucket, number> = { hour: 93 * DAY_MS, day: 5 * 366 * DAY_MS };

export const GetTrendInput = z.object({
  experimentId: experimentIdString,
  /** The scorer's name, which is the assessment name its feedback carries. */
  scorer: z.string().trim().min(1, "scorer is required"),
  start: timeMs.optional(),
  end: timeMs.optional(),
  bucket: z.enum(["hour", "day"]).default("day"),
  /** Only this version; 0 selects feedback without a scorer version. */
  scorerVersion: z.coerce.number().int().min(0).optional(),
});
export type GetTrendInput = z.input<typeof GetTrendInput>;

export interface TrendPoint extends Summary {
  bucket_start: number;
}

export interface Trend {
  experiment_id: string;
  scorer: string;
  bucket: Bucket;
  start: number;
  end: number;
  histogram_edges: readonly number[];
  /** One series per scorer version (null: feedback without one, e.g. human), ascending. */
  series: { scorer_version: number | null; points: TrendPoint[] }[];
}

/** Resolves [start, end): the last 30 days by default, within the bucket's maximum range. */
export function trendWindow(now: number, start: number | undefined, end: number | undefined, bucket: Bucket): { start: number; end: number } {
  const e = end ?? now;
  const s = start ?? e - 30 * DAY_MS;
  if (s >= e) throw new InvalidParameterError("'start' must be before 'end'.");
  if (e - s > MAX_RANGE_MS[bucket]) {
    throw new InvalidParameterError(`A ${bucket}ly trend covers at most ${MAX_RANGE_MS[bucket] / DAY_MS} days; narrow the range or use bucket=day.`);
  }
  return { start: s, end: e };
}

/**
 * Hour rollups of one scorer whose hour starts in [start, end) (the partial first hour
 * included), summed in SQL per scorer version and per `groupMs` bucket (the whole window when
 * null): marshalling rows into JS is the cost here, so ~180 daily rows cross, not ~4,000 hourly.
 */
export function loadRollupRows(
  ctx: Ctx,
  q: { experimentId: number; scorer: string; start: number; end: number; version?: number; groupMs: number | null },
): RollupRow[] {
  const versionClause = q.version === undefined ? "" : "AND scorer_version = @version";
  const bucket = q.groupMs === null ? "min(bucket_start)" : `(bucket_start / ${Math.trunc(q.groupMs)}) * ${Math.trunc(q.groupMs)}`;
  const groupBy = q.groupMs === null ? "scorer_version" : "scorer_version, 2";
  return ctx.db.$client
    .prepare(
      `SELECT scorer_version, ${bucket} AS bucket_start, sum(count) AS count, sum(errors) AS errors, sum(num_count) AS num_count,
         total(num_sum) AS num_sum, total(num_sum_sq) AS num_sum_sq, min(num_min) AS num_min, max(num_max) AS num_max,
         '[' || group_concat(histogram) || ']' AS histogram, sum(bool_count) AS bool_count, sum(pass_count) AS pass_count
       FROM metric_rollups
       WHERE experiment_id = @experimentId AND scorer_name = @scorer ${versionClause} AND bucket_start >= @from AND bucket_start < @end
       GROUP BY ${groupBy} ORDER BY ${groupBy}`,
    )
    .all({ experimentId: q.experimentId, scorer: q.scorer, version: q.version, from: bucketStartOf(q.start, "hour"), end: q.end }) as RollupRow[];
}

/**
 * Mean or pass rate of a scorer per hour or UTC day with sample sizes and 95% intervals, split
 * by scorer version, from the hourly rollups: a 90-day trend sums ~2,000 small rows per version
 * however many assessments they summarise. Buckets without feedback are left out.
 */
export function getTrend({ ctx, input }: VerbArgs<GetTrendInput>): Trend {
  const i = GetTrendInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const { start, end } = trendWindow(ctx.now(), i.start, i.end, i.bucket);
  const rows = loadRollupRows(ctx, { experimentId: i.experimentId, scorer: i.scorer, start, end, version: i.scorerVersion, groupMs: bucketMs(i.bucket) });
  const series = [...mergeRows(rows, i.bucket)].map(([version, buckets]) => ({
    scorer_version: versionOut(version),
    points: [...buckets].map(([bucketStart, agg]) => ({ bucket_start: bucketStart, ...summarize(agg) })),
  }));
  return { experiment_id: String(i.experimentId), scorer: i.scorer, bucket: i.bucket, start, end, histogram_edges: HISTOGRAM_EDGES, series };
}
