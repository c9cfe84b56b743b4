// Reference values computed with SciPy 1.17.1 (binomtest(...).proportion_ci(method="wilson"),
// ttest_ind(equal_var=False), ttest_ind_from_stats, norm.cdf/sf, t.cdf): an independent
// implementation, not these functions' own output.
import { describe, expect, it } from "vitest";
import { meanFromSums, meanInterval, normalCdf, twoProportionZTest, welchTTest, wilsonInterval, Z95 } from "./stats";

describe("wilsonInterval", () => {
  it.each([
    [8, 10, 0.4901624715366418, 0.9433178485456248],
    [0, 10, 0.0, 0.27753279986288926],
    [10, 10, 0.7224672001371109, 1.0],
    [1, 1, 0.20654931437723745, 1.0],
    [45, 100, 0.35614537979511984, 0.5475539700255787],
    [512, 1000, 0.48103255440609083, 0.5428756033902556],
  ])("%i of %i → [%f, %f]", (x, n, low, high) => {
    const ci = wilsonInterval(x, n)!;
    expect(ci.low).toBeCloseTo(low, 12);
    expect(ci.high).toBeCloseTo(high, 12);
  });

  it("has no interval without observations", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe("meanFromSums and meanInterval", () => {
  it.each([
    // n, sum, sum of squares → mean, sample variance
    [15, 312.3, 6612.23, 20.82, 7.867428571428571],
    [15, 344.8, 7979.18, 22.986666666666665, 3.8126666666666686],
    [1, 4, 16, 4, 0],
    [3, 6, 12, 2, 0],
  ])("n=%i sum=%f sumSq=%f → mean %f, variance %f", (n, sum, sumSq, mean, variance) => {
    const s = meanFromSums(n, sum, sumSq)!;
    expect(s.mean).toBeCloseTo(mean, 10);
    expect(s.variance).toBeCloseTo(variance, 9);
  });

  it("gives mean ± 1.96·s/√n and nothing below two values", () => {
    const ci = meanInterval({ n: 25, mean: 0.7, variance: 0.04 })!;
    expect(ci.low).toBeCloseTo(0.6216014406183978, 12);
    expect(ci.high).toBeCloseTo(0.7783985593816021, 12);
    expect(meanInterval({ n: 1, mean: 3, variance: 0 })).toBeNull();
    expect(meanFromSums(0, 0, 0)).toBeNull();
  });

  it("never reports a negative variance from rounding", () => {
    // Ten equal values whose squares do not sum exactly in binary floating point.
    const s = meanFromSums(10, 10 * 0.1, 10 * 0.1 * 0.1 - 1e-18)!;
    expect(s.variance).toBeGreaterThanOrEqual(0);
  });
});

describe("normalCdf", () => {
  it.each([
    [1.0, 0.8413447460685429],
    [-2.5, 0.006209665325776132],
    [0, 0.5],
    [Z95, 0.975],
  ])("Φ(%f) = %f", (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 12);
  });
});

describe("twoProportionZTest", () => {
  it.each([
    [45, 100, 56, 100, -1.5557127061904528, 0.11977642377972286],
    [830, 1000, 790, 1000, 2.279951893522561, 0.022610541788815018],
    [5, 20, 5, 20, 0, 1],
  ])("%i/%i vs %i/%i → z=%f p=%f", (x1, n1, x2, n2, z, p) => {
    const r = twoProportionZTest(x1, n1, x2, n2)!;
    expect(r.test).toBe("two_proportion_z");
    expect(r.statistic).toBeCloseTo(z, 10);
    expect(r.pValue).toBeCloseTo(p, 10);
  });

  it.each([
    [0, 0, 3, 10],
    [10, 10, 20, 20],
    [0, 10, 0, 5],
  ])("is undefined for %i/%i vs %i/%i", (x1, n1, x2, n2) => {
    expect(twoProportionZTest(x1, n1, x2, n2)).toBeNull();
  });
});

describe("welchTTest", () => {
  it.each([
    // Wikipedia's Welch example (A1 vs A2) from n/sum/sum of squares, and summary statistics.
    [
      { n: 15, mean: 20.82, variance: 7.867428571428571 },
      { n: 15, mean: 22.986666666666665, variance: 3.8126666666666686 },
      -2.455356398286006,
      0.021378001462866992,
      24.988529290231416,
    ],
    [{ n: 40, mean: 3.2, variance: 1.1 }, { n: 55, mean: 3.6, variance: 0.8 }, -1.9507448334944792, 0.05478170409836678, undefined],
  ])("%o vs %o → t=%f p=%f", (a, b, t, p, df) => {
    const r = welchTTest(a, b)!;
    expect(r.statistic).toBeCloseTo(t, 9);
    expect(r.pValue).toBeCloseTo(p, 9);
    if (df !== undefined) expect(r.df).toBeCloseTo(df, 8);
  });

  it("is undefined with fewer than two values a side or no variance", () => {
    expect(welchTTest({ n: 1, mean: 1, variance: 0 }, { n: 5, mean: 2, variance: 1 })).toBeNull();
    expect(welchTTest({ n: 3, mean: 1, variance: 0 }, { n: 3, mean: 1, variance: 0 })).toBeNull();
  });
});
