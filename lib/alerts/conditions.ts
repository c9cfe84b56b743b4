// Pure deciders: what one rule concludes from the figures the evaluator read (rollup sums,
// spend, queue sizes). Each returns the observation for the state machine and the figures shown
// on the alert, so a page always says why it fired.
import { meanFromSums, normalCdf, twoProportionZTest, welchTTest, wilsonInterval } from "@/lib/metrics/stats";
import type { Observation } from "./state-machine";
import { formatDuration, type ParamsOf } from "./rule-params";

export interface WindowSums {
  count: number;
  errors: number;
  numCount: number;
  numSum: number;
  numSumSq: number;
  boolCount: number;
  passCount: number;
}

export const emptySums = (): WindowSums => ({ count: 0, errors: 0, numCount: 0, numSum: 0, numSumSq: 0, boolCount: 0, passCount: 0 });

export function addSums(into: WindowSums, r: WindowSums): WindowSums {
  into.count += r.count;
  into.errors += r.errors;
  into.numCount += r.numCount;
  into.numSum += r.numSum;
  into.numSumSq += r.numSumSq;
  into.boolCount += r.boolCount;
  into.passCount += r.passCount;
  return into;
}

export interface Verdict {
  obs: Observation;
  summary: string;
  value: Record<string, number | string | boolean | null>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** The standard normal quantile, by bisection on normalCdf (exact to ~1e-12; called rarely). */
export function normalQuantile(p: number): number {
  let lo = -40;
  let hi = 40;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A drop of the recent window against the baseline fires only when three things hold: the window
 * has at least `min_count` assessments, the difference is at least `min_effect` in the bad
 * direction, and the test says it is not noise at `alpha`. Short of the count: NO_DATA.
 */
export function qualityDrop(p: ParamsOf<"quality_drop">, cur: WindowSums, base: WindowSums): Verdict {
  const metric = p.metric === "auto" ? (cur.boolCount > 0 || (cur.numCount === 0 && base.boolCount > 0) ? "pass_rate" : "mean") : p.metric;
  const n = metric === "pass_rate" ? cur.boolCount : cur.numCount;
  const nBase = metric === "pass_rate" ? base.boolCount : base.numCount;
  const sign = p.direction === "down" ? -1 : 1;
  const label = metric === "pass_rate" ? "pass rate" : "mean";
  if (n < p.min_count || nBase < 2) {
    return {
      obs: "no_data",
      summary: `Not enough assessments to judge the ${label}: ${n} in the window (needs ${p.min_count}), ${nBase} in the baseline.`,
      value: { metric, n, n_baseline: nBase, min_count: p.min_count },
    };
  }
  let current: number;
  let baseline: number;
  let pValue: number | null;
  if (metric === "pass_rate") {
    current = cur.passCount / cur.boolCount;
    baseline = base.passCount / base.boolCount;
    pValue = twoProportionZTest(cur.passCount, cur.boolCount, base.passCount, base.boolCount)?.pValue ?? null;
  } else {
    const a = meanFromSums(cur.numCount, cur.numSum, cur.numSumSq)!;
    const b = meanFromSums(base.numCount, base.numSum, base.numSumSq)!;
    current = a.mean;
    baseline = b.mean;
    pValue = welchTTest(a, b)?.pValue ?? null;
  }
  const difference = current - baseline;
  const bigEnough = sign * difference >= p.min_effect;
  const significant = pValue !== null && pValue < p.alpha;
  const fmt = metric === "pass_rate" ? pct : num;
  const word = p.direction === "down" ? "dropped to" : "rose to";
  const summary = `${label} ${bigEnough && significant ? word : "is"} ${fmt(current)} over the last ${formatDuration(p.window)} vs ${fmt(baseline)} before (n=${n}, p=${pValue === null ? "n/a" : pValue.toPrecision(2)}).`;
  return {
    obs: bigEnough && significant ? "breach" : "ok",
    summary: summary.charAt(0).toUpperCase() + summary.slice(1),
    value: { metric, current, baseline, difference, p_value: pValue, alpha: p.alpha, min_effect: p.min_effect, n, n_baseline: nBase },
  };
}

/** Error rate above `max_rate` with the stated confidence (Wilson lower bound), over enough assessments. */
export function errorRate(p: ParamsOf<"error_rate">, w: WindowSums): Verdict {
  if (w.count < p.min_count) {
    return {
      obs: "no_data",
      summary: `Only ${w.count} assessments in the last ${formatDuration(p.window)} (needs ${p.min_count}).`,
      value: { n: w.count, min_count: p.min_count },
    };
  }
  const rate = w.errors / w.count;
  const low = wilsonInterval(w.errors, w.count, normalQuantile(p.confidence))!.low;
  const breach = low > p.max_rate;
  return {
    obs: breach ? "breach" : "ok",
    summary: `Error rate ${pct(rate)} over the last ${formatDuration(p.window)} (${w.errors} of ${w.count}; at ${pct(p.confidence)} confidence at least ${pct(low)}, limit ${pct(p.max_rate)}).`,
    value: { rate, lower_bound: low, errors: w.errors, n: w.count, max_rate: p.max_rate },
  };
}

export function scorerPaused(s: { accountPausedReason: string | null; budgetReached: boolean }): Verdict {
  if (s.accountPausedReason)
    return { obs: "breach", summary: `Scorer paused by the engine: ${s.accountPausedReason}`, value: { reason: s.accountPausedReason } };
  if (s.budgetReached) return { obs: "breach", summary: "Scorer paused: today's judge budget is spent.", value: { reason: "budget" } };
  return { obs: "ok", summary: "Scorer is not paused by the engine.", value: {} };
}

export function budget(p: ParamsOf<"budget">, s: { spentUsd: number; budgetUsd: number | null }): Verdict {
  if (s.budgetUsd === null) return { obs: "no_data", summary: "No daily budget set.", value: { spent_usd: s.spentUsd } };
  const limit = (s.budgetUsd * p.percent) / 100;
  const share = s.budgetUsd > 0 ? s.spentUsd / s.budgetUsd : Infinity;
  return {
    obs: s.spentUsd >= limit ? "breach" : "ok",
    summary: `Judge spend today $${s.spentUsd.toFixed(2)} of a $${s.budgetUsd.toFixed(2)} budget (${Number.isFinite(share) ? pct(share) : "∞"}; alert at ${p.percent}%).`,
    value: { spent_usd: s.spentUsd, budget_usd: s.budgetUsd, percent: p.percent },
  };
}

export function lag(p: ParamsOf<"lag">, s: { backlog: number; oldestWaitingMs: number | null }): Verdict {
  const old = s.oldestWaitingMs ?? 0;
  const breach = old > p.max_lag || s.backlog > p.max_backlog;
  return {
    obs: breach ? "breach" : "ok",
    summary: `Scoring backlog ${s.backlog.toLocaleString("en-US")} (limit ${p.max_backlog.toLocaleString("en-US")}), oldest waiting ${formatDuration(Math.round(old / 1000) * 1000)} (limit ${formatDuration(p.max_lag)}).`,
    value: { backlog: s.backlog, oldest_waiting_ms: s.oldestWaitingMs, max_backlog: p.max_backlog, max_lag_ms: p.max_lag },
  };
}

/** No trace for `period`. An experiment that never had a trace is NO_DATA, not an outage. */
export function noTraffic(p: ParamsOf<"no_traffic">, s: { lastTraceAt: number | null; now: number }): Verdict {
  if (s.lastTraceAt === null) return { obs: "no_data", summary: "No trace has arrived yet.", value: { last_trace_at: null } };
  const quiet = s.now - s.lastTraceAt;
  return {
    obs: quiet >= p.period ? "breach" : "ok",
    summary: `Last trace ${formatDuration(Math.floor(quiet / 60_000) * 60_000)} ago (alert after ${formatDuration(p.period)}).`,
    value: { last_trace_at: s.lastTraceAt, quiet_ms: quiet, period_ms: p.period },
  };
}
