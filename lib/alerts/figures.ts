// What the evaluator reads, each an indexed lookup on a rollup or read model (hourly metric
// rollups, today's usage row, the engine's queues, the traffic record), never a scan of
// assessments. Statements are prepared once per connection.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";
import type { Db } from "@/db/client";
import { onlineBacklog } from "@/lib/metrics/online-backlog";
import type { WindowSums } from "./conditions";

export interface HourSums extends WindowSums {
  bucketStart: number;
}

/** Hour rows of one scorer (all versions summed) in [from, to). */
export function hourlySums(db: Database.Database, experimentId: number, scorer: string, from: number, to: number): HourSums[] {
  return cachedStatement(
    db,
    `SELECT bucket_start AS bucketStart, sum(count) AS count, sum(errors) AS errors, sum(num_count) AS numCount, total(num_sum) AS numSum,
       total(num_sum_sq) AS numSumSq, sum(bool_count) AS boolCount, sum(pass_count) AS passCount
     FROM metric_rollups WHERE experiment_id = ? AND scorer_name = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY bucket_start`,
  ).all(experimentId, scorer, from, to) as HourSums[];
}

export function scorerNames(db: Database.Database, experimentId: number): string[] {
  return cachedStatement(db, "SELECT name FROM scorers WHERE experiment_id = ? ORDER BY name").pluck().all(experimentId) as string[];
}

export interface ScorerFacts {
  exists: boolean;
  accountPausedReason: string | null;
  dailyBudgetUsd: number | null;
  spentTodayUsd: number;
}

export function scorerFacts(db: Database.Database, experimentId: number, scorer: string, day: string): ScorerFacts {
  const r = cachedStatement(
    db,
    `SELECT s.scorer_id AS id, r.account_paused_reason AS paused, r.daily_budget_usd AS budget FROM scorers s
     LEFT JOIN engine_scorer_runtime r ON r.scorer_id = s.scorer_id WHERE s.experiment_id = ? AND s.name = ?`,
  ).get(experimentId, scorer) as { id: string; paused: string | null; budget: number | null } | undefined;
  const spent = cachedStatement(db, "SELECT COALESCE(SUM(cost_usd), 0) FROM engine_usage WHERE experiment_id = ? AND scorer_name = ? AND day = ?")
    .pluck()
    .get(experimentId, scorer, day) as number;
  return { exists: r !== undefined, accountPausedReason: r?.paused ?? null, dailyBudgetUsd: r?.budget ?? null, spentTodayUsd: spent };
}

/** Online scoring's backlog (the scorer page's figure): traces waiting for intake or the runner. */
export function backlogOf(db: Db, experimentId: number, now: number): { backlog: number; oldestWaitingMs: number | null } {
  const r = onlineBacklog(db.$client, experimentId);
  return { backlog: r.traces, oldestWaitingMs: r.oldestAt === null ? null : Math.max(0, now - r.oldestAt) };
}

/** The newest trace's start, from the traffic record both stores write. */
export function lastTraceAt(db: Db, experimentId: number): number | null {
  return (cachedStatement(db.$client, "SELECT MAX(last_trace_at) FROM traffic WHERE experiment_id = ?").pluck().get(experimentId) ?? null) as number | null;
}
