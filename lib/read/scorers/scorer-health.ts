// What each scorer scored and failed for the traces of the last 24 hours, per hour of TRACE time
// (a backfill of last week's traces does not count as today's scores), read from the hourly
// rollups (lib/metrics), which the worker refreshes after each scoring pass; they hold both
// stores' scores and leave shadow versions out. The newest score is by scoring time.
// Spend, queue and lag come from the engine (lib/engine getScorerRuntime).
import type { Ctx } from "@/lib/core";

export const HEALTH_WINDOW_MS = 24 * 3600_000;
const HOUR = 3600_000;

export interface HealthBucket {
  /** Hour start, ms. */
  t: number;
  count: number;
  errors: number;
  /** Share of yes/true among yes/no/true/false values; null when the hour had none. */
  passRate: number | null;
  /** Mean of numeric values; null when the hour had none. */
  mean: number | null;
}

export interface ScorerHealth {
  from: number;
  to: number;
  buckets: HealthBucket[];
  scores24h: number;
  errors24h: number;
  passRate24h: number | null;
  mean24h: number | null;
  lastScoredAt: number | null;
}

interface BucketRow {
  name: string;
  b: number;
  n: number;
  errors: number;
  passes: number;
  bools: number;
  num_sum: number | null;
  num_count: number;
}

/** The last 24 hours of every named scorer of one experiment, keyed by scorer name. */
export function loadScorerHealth(ctx: Ctx, experimentId: number, scorers: readonly { name: string }[]): Map<string, ScorerHealth> {
  const db = ctx.db.$client;
  const now = ctx.now();
  const to = Math.ceil(now / HOUR) * HOUR;
  const from = to - HEALTH_WINDOW_MS;

  // One scorer at a time: a range of the rollups' key (experiment, scorer, version, hour), at
  // most 24 rows per version, whatever the traffic.
  const bucketQuery = db.prepare(
    `SELECT scorer_name AS name, CAST((bucket_start - @from) / ${HOUR} AS INTEGER) AS b, SUM(count) AS n, SUM(errors) AS errors,
         SUM(pass_count) AS passes, SUM(bool_count) AS bools, SUM(num_sum) AS num_sum, SUM(num_count) AS num_count
       FROM metric_rollups WHERE experiment_id = @exp AND scorer_name = @name AND bucket_start >= @from AND bucket_start < @to
       GROUP BY b`,
  );
  const bucketRows = scorers.flatMap((s) => bucketQuery.all({ exp: experimentId, name: s.name, from, to }) as BucketRow[]);
  const byName = new Map<string, BucketRow[]>();
  for (const r of bucketRows) (byName.get(r.name) ?? byName.set(r.name, []).get(r.name)!).push(r);

  // The newest score, from each of engine_scores' two sources by its index: MAX through the
  // view's UNION reads every score the scorer ever wrote.
  const lastScored = db.prepare(
    `SELECT MAX(at) AS at FROM (
       SELECT (SELECT create_time FROM assessments WHERE experiment_id = @exp AND name = @name AND kind = 'feedback' AND scorer_id IS NOT NULL AND valid = 1
               ORDER BY create_time DESC LIMIT 1) AS at
       UNION ALL SELECT MAX(scored_at) FROM remote_scored WHERE experiment_id = @exp AND name = @name)`,
  );

  const out = new Map<string, ScorerHealth>();
  for (const s of scorers) {
    const rows = byName.get(s.name) ?? [];
    const buckets: HealthBucket[] = Array.from({ length: HEALTH_WINDOW_MS / HOUR }, (_, i) => ({
      t: from + i * HOUR,
      count: 0,
      errors: 0,
      passRate: null,
      mean: null,
    }));
    let passes = 0,
      bools = 0,
      numSum = 0,
      numCount = 0;
    for (const r of rows) {
      const b = buckets[r.b];
      if (!b) continue;
      b.count = r.n;
      b.errors = r.errors;
      b.passRate = r.bools > 0 ? r.passes / r.bools : null;
      b.mean = r.num_count > 0 ? (r.num_sum ?? 0) / r.num_count : null;
      passes += r.passes;
      bools += r.bools;
      numSum += r.num_sum ?? 0;
      numCount += r.num_count;
    }
    out.set(s.name, {
      from,
      to,
      buckets,
      scores24h: buckets.reduce((a, b) => a + b.count, 0),
      errors24h: buckets.reduce((a, b) => a + b.errors, 0),
      passRate24h: bools > 0 ? passes / bools : null,
      mean24h: numCount > 0 ? numSum / numCount : null,
      lastScoredAt: (lastScored.get({ exp: experimentId, name: s.name }) as { at: number | null }).at,
    });
  }
  return out;
}
