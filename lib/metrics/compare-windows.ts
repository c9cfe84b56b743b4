import { z } from "zod";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { DAY_MS } from "./point-sql";
import { addRow, emptyAgg, summarize, versionOut, type Agg, type Summary } from "./rollup-math";
import { loadRollupRows } from "./get-trend";
import { meanFromSums, twoProportionZTest, welchTTest, type TestResult } from "./stats";
import { timeMs } from "./time-input";

export const CompareWindowsInput = z.object({
  experimentId: experimentIdString,
  scorer: z.string().trim().min(1, "scorer is required"),
  /** The current window is [start, end); the previous one is as long and ends at start. */
  start: timeMs.optional(),
  end: timeMs.optional(),
  scorerVersion: z.coerce.number().int().min(0).optional(),
  alpha: z.coerce.number().gt(0).lt(1).default(0.05),
});
export type CompareWindowsInput = z.input<typeof CompareWindowsInput>;

export interface WindowSummary extends Summary {
  start: number;
  end: number;
  /** Scorer versions seen in the window: a change here may explain a difference. */
  scorer_versions: (number | null)[];
}

export interface WindowComparison {
  experiment_id: string;
  scorer: string;
  scorer_version: number | null | "all";
  current: WindowSummary;
  previous: WindowSummary;
  metric: "pass_rate" | "mean" | null;
  /** current - previous of the metric. */
  difference: number | null;
  test: (Omit<TestResult, "pValue"> & { p_value: number }) | null;
  significant: boolean;
  alpha: number;
  versions_changed: boolean;
}

/** Pass rates are compared with a two-proportion z-test, means with Welch's t-test. */
export function compareAggs(cur: Agg, prev: Agg): { metric: WindowComparison["metric"]; difference: number | null; test: TestResult | null } {
  if (cur.boolCount > 0 && prev.boolCount > 0) {
    return {
      metric: "pass_rate",
      difference: cur.passCount / cur.boolCount - prev.passCount / prev.boolCount,
      test: twoProportionZTest(cur.passCount, cur.boolCount, prev.passCount, prev.boolCount),
    };
  }
  const a = meanFromSums(cur.numCount, cur.numSum, cur.numSumSq);
  const b = meanFromSums(prev.numCount, prev.numSum, prev.numSumSq);
  if (a && b) return { metric: "mean", difference: a.mean - b.mean, test: welchTTest(a, b) };
  return { metric: null, difference: null, test: null };
}

/**
 * A scorer's current period against the one before it (by default the last 7 days against the
 * 7 before), and whether the difference is more than noise at `alpha`. For stakeholder reports.
 */
export function compareWindows({ ctx, input }: VerbArgs<CompareWindowsInput>): WindowComparison {
  const i = CompareWindowsInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const end = i.end ?? ctx.now();
  const start = i.start ?? end - 7 * DAY_MS;
  if (start >= end) throw new InvalidParameterError("'start' must be before 'end'.");
  if (end - start > 366 * DAY_MS) throw new InvalidParameterError("A window covers at most 366 days.");
  const prevStart = start - (end - start);

  const window = (from: number, to: number): { agg: Agg; summary: WindowSummary } => {
    const agg = emptyAgg();
    const versions = new Set<number>();
    for (const r of loadRollupRows(ctx, { experimentId: i.experimentId, scorer: i.scorer, start: from, end: to, version: i.scorerVersion, groupMs: null })) {
      addRow(agg, r);
      versions.add(r.scorer_version);
    }
    const scorer_versions = [...versions].sort((a, b) => a - b).map(versionOut);
    return { agg, summary: { start: from, end: to, scorer_versions, ...summarize(agg) } };
  };
  const cur = window(start, end);
  const prev = window(prevStart, start);
  const { metric, difference, test } = compareAggs(cur.agg, prev.agg);
  const sameVersions = JSON.stringify(cur.summary.scorer_versions) === JSON.stringify(prev.summary.scorer_versions);
  return {
    experiment_id: String(i.experimentId),
    scorer: i.scorer,
    scorer_version: i.scorerVersion === undefined ? "all" : versionOut(i.scorerVersion),
    current: cur.summary,
    previous: prev.summary,
    metric,
    difference,
    test: test ? { test: test.test, statistic: test.statistic, p_value: test.pValue, ...(test.df !== undefined ? { df: test.df } : {}) } : null,
    significant: test !== null && test.pValue < i.alpha,
    alpha: i.alpha,
    versions_changed: cur.summary.scorer_versions.length > 0 && prev.summary.scorer_versions.length > 0 && !sameVersions,
  };
}
