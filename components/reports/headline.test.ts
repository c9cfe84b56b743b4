import { describe, expect, it } from "vitest";
import type { WindowComparison } from "@/lib/metrics";
import { prepareHeadline } from "./headline";

const rate = (value: number, n: number) => ({ n, passes: Math.round(value * n), value, ci_low: value - 0.05, ci_high: value + 0.05 });
const summary = (pass: ReturnType<typeof rate> | null, versions = [1]) => ({
  start: 0,
  end: 1,
  scorer_versions: versions,
  count: pass?.n ?? 0,
  errors: 0,
  mean: null,
  pass_rate: pass,
  histogram: null,
});
const comparison = (o: Partial<WindowComparison>): WindowComparison => ({
  experiment_id: "1",
  scorer: "polite",
  scorer_version: "all",
  metric: "pass_rate",
  current: summary(rate(0.4, 300)),
  previous: summary(rate(0.9, 280)),
  difference: -0.5,
  test: { test: "two_proportion_z", statistic: -12, p_value: 0.00001 } as WindowComparison["test"],
  significant: true,
  alpha: 0.05,
  versions_changed: false,
  ...o,
});

describe("prepareHeadline", () => {
  it("says a real drop is significant", () => {
    expect(prepareHeadline(comparison({}))).toMatchObject({
      metricLabel: "Pass rate",
      value: "40%",
      change: "\u221250.0 pts",
      direction: "down",
      verdict: "Significant change (p < 0.001)",
      n: 300,
      previous: "90%",
      note: null,
    });
  });
  it("says a small move is noise", () => {
    const h = prepareHeadline(
      comparison({
        current: summary(rate(0.91, 50)),
        difference: 0.01,
        significant: false,
        test: { test: "two_proportion_z", statistic: 0.2, p_value: 0.84 } as WindowComparison["test"],
      }),
    );
    expect(h).toMatchObject({ change: "+1.0 pts", direction: "up", verdict: "Within noise (p = 0.84)", significant: false });
  });
  it("has nothing to compare with an empty previous period, and flags a version change", () => {
    const h = prepareHeadline(
      comparison({ previous: summary(null, []), difference: null, test: null, significant: false, metric: null, versions_changed: true }),
    );
    expect(h).toMatchObject({ value: "40%", change: null, direction: null, verdict: "No scores in the previous period to compare with", previous: null });
    expect(h.note).toMatch(/version changed/);
  });
  it("reads means with two decimals", () => {
    const mean = (value: number) => ({ n: 20, value, std: 1, ci_low: value - 0.3, ci_high: value + 0.3, min: 0, max: 5 });
    const h = prepareHeadline(
      comparison({
        metric: "mean",
        current: { ...summary(null), mean: mean(3.25) },
        previous: { ...summary(null), mean: mean(3.5) },
        difference: -0.25,
        significant: false,
        test: { test: "welch_t", statistic: -1, p_value: 0.31 } as WindowComparison["test"],
      }),
    );
    expect(h).toMatchObject({ metricLabel: "Mean score", value: "3.25", change: "\u22120.25", previous: "3.50", verdict: "Within noise (p = 0.31)" });
  });
});
