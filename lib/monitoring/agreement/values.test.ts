import { describe, expect, it } from "vitest";
import { numericAgreement, t975 } from "./numeric";
import { agreementOf, ratingOf, ratingOfJson, sameRating } from "./values";

describe("ratings", () => {
  const cases: [unknown, ReturnType<typeof ratingOf>][] = [
    [true, { kind: "categorical", key: "yes" }],
    [false, { kind: "categorical", key: "no" }],
    [" Yes ", { kind: "categorical", key: "yes" }],
    ["NO", { kind: "categorical", key: "no" }],
    ["partial", { kind: "categorical", key: "partial" }],
    [4, { kind: "numeric", value: 4 }],
    [0.25, { kind: "numeric", value: 0.25 }],
    [null, null],
    [[1, 2], null],
    [{ a: 1 }, null],
  ];
  for (const [v, want] of cases) it(`${JSON.stringify(v)}`, () => expect(ratingOf(v)).toEqual(want));
  it("reads JSON text and ignores malformed text", () => {
    expect(ratingOfJson('"yes"')).toEqual({ kind: "categorical", key: "yes" });
    expect(ratingOfJson("{oops")).toBeNull();
    expect(ratingOfJson(null)).toBeNull();
  });
  it("compares verdicts", () => {
    expect(sameRating(ratingOf(true)!, ratingOf("yes")!)).toBe(true);
    expect(sameRating(ratingOf(1)!, ratingOf("1")!)).toBe(false);
  });
});

describe("agreementOf", () => {
  it("categorical pairs get kappa", () => {
    const a = agreementOf([
      [ratingOf("yes")!, ratingOf(true)!],
      [ratingOf("no")!, ratingOf("yes")!],
    ]);
    expect(a).toMatchObject({ type: "categorical", n: 2, agreement: 0.5 });
  });
  it("numeric pairs get mean difference and correlation", () => {
    const a = agreementOf([
      [ratingOf(1)!, ratingOf(2)!],
      [ratingOf(2)!, ratingOf(3)!],
      [ratingOf(3)!, ratingOf(5)!],
    ]);
    expect(a.type).toBe("numeric");
    if (a.type !== "numeric") return;
    expect(a.numeric.meanDifference).toBeCloseTo(4 / 3, 12);
    // r of (1,2,3) with (2,3,5): cov 1.5, var 1 and 2.333.. (sample) -> 1.5 / sqrt(1 * 2.3333) = .98198
    expect(a.numeric.correlation).toBeCloseTo(0.981981, 6);
  });
  it("mixed kinds and no overlap are named, not computed", () => {
    expect(agreementOf([[ratingOf(1)!, ratingOf("yes")!]])).toMatchObject({ type: "none", reason: "mixed_types" });
    expect(agreementOf([])).toMatchObject({ type: "none", reason: "no_overlap" });
  });
});

describe("numericAgreement", () => {
  it("t quantile matches tables (df 1: 12.706, df 10: 2.228, df 100: 1.984)", () => {
    expect(t975(1)).toBeCloseTo(12.7062, 3);
    expect(t975(10)).toBeCloseTo(2.2281, 3);
    expect(t975(100)).toBeCloseTo(1.984, 3);
  });
  it("mean difference interval: d = (1, 1, 2, 0), mean 1, sd .8165, t(3) = 3.1824 -> 1 -+ 1.2992", () => {
    const r = numericAgreement([
      [0, 1],
      [1, 2],
      [1, 3],
      [2, 2],
    ]);
    expect(r.meanDifference).toBe(1);
    expect(r.meanDifferenceCi95![0]).toBeCloseTo(1 - 1.29923, 4);
    expect(r.meanDifferenceCi95![1]).toBeCloseTo(1 + 1.29923, 4);
    expect(r.exact).toBe(0.25);
  });
  it("a constant side has no correlation; one item has no interval", () => {
    expect(
      numericAgreement([
        [1, 1],
        [1, 2],
      ]).correlation,
    ).toBeNull();
    expect(numericAgreement([[1, 2]])).toMatchObject({ n: 1, meanDifference: 1, meanDifferenceCi95: null, correlation: null });
  });
});
