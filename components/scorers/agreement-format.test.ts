import { describe, expect, it } from "vitest";
import { costText, kappaText, kappaWord, pct } from "./agreement-format";

describe("agreement words", () => {
  it.each<[string, Parameters<typeof kappaText>[0], string]>([
    [
      "kappa with its interval",
      {
        type: "categorical",
        n: 50,
        agreement: 0.7,
        expected_agreement: 0.5,
        kappa: 0.4,
        kappa_se: 0.127,
        kappa_ci95: [0.1511, 0.6489],
        confusion_matrix: { labels: [], counts: [] },
      },
      "κ 0.40 (95% 0.15 to 0.65)",
    ],
    [
      "one class only",
      {
        type: "categorical",
        n: 5,
        agreement: 1,
        expected_agreement: 1,
        kappa: null,
        kappa_se: null,
        kappa_ci95: null,
        degenerate: "one_class",
        confusion_matrix: { labels: [], counts: [] },
      },
      "κ undefined: both used one class only",
    ],
    [
      "numeric",
      { type: "numeric", n: 3, exact_agreement: 0, mean_a: 1, mean_b: 2, mean_difference: 1, mean_difference_ci95: [0.5, 1.5], correlation: 0.98 },
      "mean difference 1.000 (95% 0.500 to 1.500); r 0.98",
    ],
    [
      "one side constant",
      {
        type: "categorical",
        n: 8,
        agreement: 0.5,
        expected_agreement: 0.5,
        kappa: 0,
        kappa_se: null,
        kappa_ci95: null,
        degenerate: "one_rater_constant",
        confusion_matrix: { labels: [], counts: [] },
      },
      "κ 0.00 by construction: one side gave one answer only",
    ],
    ["no overlap", { type: "none", n: 0, reason: "no_overlap" }, "No trace scored by both"],
    ["mixed types", { type: "none", n: 0, reason: "mixed_types" }, "The versions answer different value types"],
  ])("%s", (_, a, want) => expect(kappaText(a)).toBe(want));

  it.each<[number | null, string]>([
    [-0.1, "worse than chance"],
    [0.1, "slight"],
    [0.4, "fair"],
    [0.55, "moderate"],
    [0.7, "substantial"],
    [0.95, "almost perfect"],
    [null, ""],
  ])("kappa %s is %s", (k, w) => expect(kappaWord(k)).toBe(w));

  it("percent and cost", () => {
    expect(pct(0.7)).toBe("70.0%");
    expect(pct(null)).toBe("—");
    expect(costText(0, 0)).toBe("free (code)");
    expect(costText(null, 3)).toBe("unpriced model");
    expect(costText(0.00042, 0)).toBe("$0.00042");
    expect(costText(0.0123, 0)).toBe("$0.0123");
  });
});
