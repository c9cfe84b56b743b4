// The live figures beside each scorer's status: what it scored and failed in the last 24 hours,
// what it spent today, and how far behind it is. Read straight from assessments (by the
// experiment/name/time index) and the engine's tables, so a score shows up the moment it lands.
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
  /** Online work queued for this scorer (judge calls waiting, retries). */
  pendingTasks: number;
  retryingTasks: number;
  oldestPendingAt: number | null;
  /** How long the oldest unfinished online work has waited; null when nothing waits. */
  lagMs: number | null;
  callsToday: number;
  costTodayUsd: number;
  unpricedCallsToday: number;
  budgetUsd: number | null;
  accountPausedReason: string | null;
  accountPausedAt: number | null;
}

interface BucketRow { name: string; b: number; n: number; errors: number; passes: number; bools: number; num_sum: number | null; num_count: number }

const IS_NUMBER = "json_valid(value) AND json_type(value) IN ('integer', 'real')";

/** Health of every named scorer of one experiment, keyed by scorer name (scorer ids for the engine's tables). */
export function loadScorerHealth(ctx: Ctx, experimentId: number, scorers: readonly { name: string; scorerId: string | null }[]): Map<string, ScorerHealth> {
  const db = ctx.db.$client;
  const now = ctx.now();
  const to = Math.ceil(now / HOUR) * HOUR;
  const from = to - HEALTH_WINDOW_MS;
  const day = new Date(now).toISOString().slice(0, 10);

  const bucketRows = db
    .prepare(
      `SELECT name, CAST((create_time - @from) / ${HOUR} AS INTEGER) AS b, COUNT(*) AS n,
         SUM(error IS NOT NULL) AS errors,
         SUM(value IN ('"yes"', 'true')) AS passes,
         SUM(value IN ('"yes"', '"no"', 'true', 'false')) AS bools,
         SUM(CASE WHEN ${IS_NUMBER} THEN CAST(value AS REAL) END) AS num_sum,
         SUM(CASE WHEN ${IS_NUMBER} THEN 1 ELSE 0 END) AS num_count
       FROM assessments
       WHERE experiment_id = @exp AND create_time >= @from AND create_time < @to AND kind = 'feedback' AND scorer_id IS NOT NULL AND valid = 1
       GROUP BY name, b`,
    )
    .all({ exp: experimentId, from, to }) as BucketRow[];
  const byName = new Map<string, BucketRow[]>();
  for (const r of bucketRows) (byName.get(r.name) ?? byName.set(r.name, []).get(r.name)!).push(r);

  const lastScored = db.prepare(`SELECT MAX(create_time) AS at FROM assessments WHERE experiment_id = ? AND name = ? AND scorer_id IS NOT NULL`);
  const tasks = new Map(
    (db
      .prepare(
        `SELECT scorer_id AS id, COUNT(*) AS n, SUM(attempts > 0) AS retrying, MIN(created_at) AS oldest
         FROM engine_tasks WHERE experiment_id = ? AND job_id IS NULL GROUP BY scorer_id`,
      )
      .all(experimentId) as { id: string; n: number; retrying: number; oldest: number }[]).map((r) => [r.id, r]),
  );
  // Completed traces the online step has not looked at yet hold back every started scorer.
  const backlog = db.prepare(`SELECT MIN(completed_at) AS oldest FROM engine_completions WHERE experiment_id = ?`).get(experimentId) as { oldest: number | null };
  const usage = new Map(
    (db
      .prepare(
        `SELECT scorer_name AS name, SUM(calls) AS calls, SUM(cost_usd) AS cost, SUM(unpriced_calls) AS unpriced
         FROM engine_usage WHERE experiment_id = ? AND day = ? GROUP BY scorer_name`,
      )
      .all(experimentId, day) as { name: string; calls: number; cost: number; unpriced: number }[]).map((r) => [r.name, r]),
  );
  const runtime = new Map(
    (db
      .prepare(`SELECT scorer_id AS id, account_paused_reason AS reason, account_paused_at AS at, daily_budget_usd AS budget FROM engine_scorer_runtime WHERE experiment_id = ?`)
      .all(experimentId) as { id: string; reason: string | null; at: number | null; budget: number | null }[]).map((r) => [r.id, r]),
  );

  const out = new Map<string, ScorerHealth>();
  for (const s of scorers) {
    const rows = byName.get(s.name) ?? [];
    const buckets: HealthBucket[] = Array.from({ length: HEALTH_WINDOW_MS / HOUR }, (_, i) => ({ t: from + i * HOUR, count: 0, errors: 0, passRate: null, mean: null }));
    let passes = 0, bools = 0, numSum = 0, numCount = 0;
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
    const task = s.scorerId ? tasks.get(s.scorerId) : undefined;
    const rt = s.scorerId ? runtime.get(s.scorerId) : undefined;
    const u = usage.get(s.name);
    const oldest = [task?.oldest, backlog.oldest].filter((x): x is number => typeof x === "number");
    out.set(s.name, {
      from,
      to,
      buckets,
      scores24h: buckets.reduce((a, b) => a + b.count, 0),
      errors24h: buckets.reduce((a, b) => a + b.errors, 0),
      passRate24h: bools > 0 ? passes / bools : null,
      mean24h: numCount > 0 ? numSum / numCount : null,
      lastScoredAt: (lastScored.get(experimentId, s.name) as { at: number | null }).at,
      pendingTasks: task?.n ?? 0,
      retryingTasks: task?.retrying ?? 0,
      oldestPendingAt: task?.oldest ?? null,
      lagMs: oldest.length ? Math.max(0, now - Math.min(...oldest)) : null,
      callsToday: u?.calls ?? 0,
      costTodayUsd: u?.cost ?? 0,
      unpricedCallsToday: u?.unpriced ?? 0,
      budgetUsd: rt?.budget ?? null,
      accountPausedReason: rt?.reason ?? null,
      accountPausedAt: rt?.at ?? null,
    });
  }
  return out;
}
