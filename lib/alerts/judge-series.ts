// One rule's verdict per series from the figures (figures.ts) and the pure deciders.
import type { Db } from "@/db/client";
import { utcDay } from "@/lib/core/time";
import { addSums, budget, emptySums, errorRate, lag, noTraffic, qualityDrop, scorerPaused, type Verdict } from "./conditions";
import { backlogOf, hourlySums, lastTraceAt, scorerFacts, scorerNames, type HourSums } from "./figures";
import { HOUR_MS, type ParamsOf } from "./rule-params";
import type { RuleRow } from "./rule-store";

export interface SeriesVerdict extends Verdict {
  seriesKey: string;
  scorerName: string | null;
  windowStart: number | null;
  windowEnd: number | null;
}

/** Per tick memo: rules sharing a scorer read its rollups once. */
export class FigureCache {
  private readonly hours = new Map<string, HourSums[]>();
  private readonly names = new Map<number, string[]>();
  constructor(
    readonly db: Db,
    readonly now: number,
    readonly lookbackMs: number,
  ) {}
  /** Hour rows from the lookback start to now (the current, partial hour included). */
  hoursOf(experimentId: number, scorer: string): HourSums[] {
    const key = `${experimentId}\u0000${scorer}`;
    let rows = this.hours.get(key);
    if (!rows) this.hours.set(key, (rows = hourlySums(this.db.$client, experimentId, scorer, this.currentHour() - this.lookbackMs, this.now + 1)));
    return rows;
  }
  scorers(experimentId: number): string[] {
    let n = this.names.get(experimentId);
    if (!n) this.names.set(experimentId, (n = scorerNames(this.db.$client, experimentId)));
    return n;
  }
  currentHour(): number {
    return Math.floor(this.now / HOUR_MS) * HOUR_MS;
  }
}

/** The recent window holds `window / 1h` hours ending with the current one; the baseline is before it. */
export function windowBounds(now: number, windowMs: number, baselineMs: number) {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - windowMs;
  return { start, end, baseStart: start - baselineMs };
}

function sumRange(rows: HourSums[], from: number, to: number) {
  const s = emptySums();
  for (const r of rows) if (r.bucketStart >= from && r.bucketStart < to) addSums(s, r);
  return s;
}

export function judgeRule(rule: RuleRow, f: FigureCache): SeriesVerdict[] {
  const p = JSON.parse(rule.params) as Record<string, unknown>;
  const exp = rule.experimentId;
  const now = f.now;
  if (rule.kind === "lag")
    return [{ seriesKey: "", scorerName: null, windowStart: null, windowEnd: now, ...lag(p as ParamsOf<"lag">, backlogOf(f.db, exp, now)) }];
  if (rule.kind === "no_traffic") {
    const last = lastTraceAt(f.db, exp);
    return [{ seriesKey: "", scorerName: null, windowStart: last, windowEnd: now, ...noTraffic(p as ParamsOf<"no_traffic">, { lastTraceAt: last, now }) }];
  }
  const names = rule.scorerName === null ? f.scorers(exp) : [rule.scorerName];
  return names.map((scorer): SeriesVerdict => {
    const base = { seriesKey: scorer, scorerName: scorer };
    if (rule.kind === "quality_drop" || rule.kind === "error_rate") {
      const q = p as ParamsOf<"quality_drop">;
      const w = windowBounds(now, q.window, rule.kind === "quality_drop" ? q.baseline : 0);
      const rows = f.hoursOf(exp, scorer);
      const cur = sumRange(rows, w.start, w.end);
      const verdict = rule.kind === "quality_drop" ? qualityDrop(q, cur, sumRange(rows, w.baseStart, w.start)) : errorRate(p as ParamsOf<"error_rate">, cur);
      return { ...base, windowStart: w.start, windowEnd: Math.min(w.end, now), ...verdict };
    }
    const facts = scorerFacts(f.db.$client, exp, scorer, utcDay(now));
    if (!facts.exists) return { ...base, windowStart: null, windowEnd: null, obs: "no_data", summary: `No scorer named '${scorer}'.`, value: {} };
    if (rule.kind === "budget")
      return {
        ...base,
        windowStart: null,
        windowEnd: now,
        ...budget(p as ParamsOf<"budget">, { spentUsd: facts.spentTodayUsd, budgetUsd: facts.dailyBudgetUsd }),
      };
    const budgetReached = facts.dailyBudgetUsd !== null && facts.spentTodayUsd >= facts.dailyBudgetUsd;
    return { ...base, windowStart: null, windowEnd: now, ...scorerPaused({ accountPausedReason: facts.accountPausedReason, budgetReached }) };
  });
}

/** How far back any rule looks: one rollup read per scorer covers all its rules. */
export function lookbackOf(rules: RuleRow[]): number {
  let max = HOUR_MS;
  for (const r of rules) {
    if (r.kind !== "quality_drop" && r.kind !== "error_rate") continue;
    const p = JSON.parse(r.params) as { window: number; baseline?: number };
    max = Math.max(max, p.window + (p.baseline ?? 0));
  }
  return max;
}
