// A judge's cost, to act on: spend, calls and tokens per UTC day (engine_usage), the tokens and
// cost of an average call, and what online sampling would cost a day at another rate (the traces
// its filter matched per day, from online scoring's funnel).
import { requireRole, type Ctx } from "@/lib/core";
import type { CostModel } from "./cost-projection";

const DAY = 86_400_000;
export const COST_DAYS = 14;

export interface CostDay {
  day: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  unpricedCalls: number;
}

export interface ScorerCost extends CostModel {
  days: CostDay[];
  calls: number;
  /** Averages over the days listed; null without calls. */
  tokensPerCall: { prompt: number; completion: number } | null;
  /** Days of traffic the matched rate is measured over (up to 7). */
  matchedOverDays: number;
}

export function getScorerCost(ctx: Ctx, experimentId: number, scorer: string): ScorerCost {
  requireRole(ctx.actor, "viewer", experimentId);
  const db = ctx.db.$client;
  const now = ctx.now();
  const since = new Date(now - (COST_DAYS - 1) * DAY).toISOString().slice(0, 10);
  const days = db
    .prepare(
      `SELECT day, SUM(calls) AS calls, SUM(prompt_tokens) AS promptTokens, SUM(completion_tokens) AS completionTokens,
         SUM(cost_usd) AS costUsd, SUM(unpriced_calls) AS unpricedCalls
       FROM engine_usage WHERE experiment_id = ? AND scorer_name = ? AND day >= ? GROUP BY day ORDER BY day DESC`,
    )
    .all(experimentId, scorer, since) as CostDay[];
  const calls = days.reduce((a, d) => a + d.calls, 0);
  const priced = days.reduce((a, d) => a + d.calls - d.unpricedCalls, 0);
  const cost = days.reduce((a, d) => a + d.costUsd, 0);
  // Matched traces of the last 7 days (trace time), per day of the span they cover.
  const m = db
    .prepare(
      `SELECT COALESCE(SUM(count), 0) AS n, MIN(bucket_ms) AS first FROM engine_funnel
       WHERE experiment_id = ? AND scorer_name = ? AND stage = 'matched' AND bucket_ms >= ?`,
    )
    .get(experimentId, scorer, now - 7 * DAY) as { n: number; first: number | null };
  const matchedOverDays = m.first === null ? 0 : Math.min(7, Math.max(1, (now - m.first) / DAY));
  return {
    days,
    calls,
    tokensPerCall: calls
      ? { prompt: days.reduce((a, d) => a + d.promptTokens, 0) / calls, completion: days.reduce((a, d) => a + d.completionTokens, 0) / calls }
      : null,
    costPerCall: priced ? cost / priced : null,
    matchedPerDay: matchedOverDays ? m.n / matchedOverDays : 0,
    matchedOverDays,
  };
}
