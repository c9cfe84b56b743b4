import { describe, expect, it } from "vitest";
import { compareAggs } from "./compare-windows";
import { HISTOGRAM_BINS } from "./point-sql";
import { addRow, bucketStartOf, emptyAgg, mergeRows, summarize, versionOut, type RollupRow } from "./rollup-math";
import { trendWindow } from "./get-trend";

const hist = (bins: Record<number, number>) => JSON.stringify(Array.from({ length: HISTOGRAM_BINS }, (_, k) => bins[k] ?? 0));
const row = (version: number, bucketStart: number, o: Partial<RollupRow>): RollupRow => ({
  scorer_version: version,
  bucket_start: bucketStart,
  count: 0,
  errors: 0,
  num_count: 0,
  num_sum: 0,
  num_sum_sq: 0,
  num_min: null,
  num_max: null,
  histogram: hist({}),
  bool_count: 0,
  pass_count: 0,
  ...o,
});
const D1 = Date.UTC(2025, 5, 1);
const H = 3_600_000;

describe("bucketStartOf", () => {
  it.each([
    [D1 + 5 * H + 59_999, "hour", D1 + 5 * H],
    [D1 + 23 * H + 1, "day", D1],
    [D1, "day", D1],
    [D1 - 1, "day", D1 - 86_400_000],
  ] as const)("%i by %s starts at %i", (ms, b, start) => {
    expect(bucketStartOf(ms, b)).toBe(start);
  });
});

describe("mergeRows", () => {
  const rows = [
    row(2, D1 + 3 * H, { count: 2, num_count: 2, num_sum: 1.5, num_sum_sq: 1.25, num_min: 0.5, num_max: 1, histogram: hist({ 6: 1, 11: 1 }) }),
    row(2, D1 + 1 * H, { count: 3, errors: 1, num_count: 2, num_sum: 0.4, num_sum_sq: 0.1, num_min: 0.1, num_max: 0.3, histogram: hist({ 2: 1, 4: 1 }) }),
    row(1, D1 + 86_400_000 + H, { count: 4, bool_count: 4, pass_count: 3 }),
    row(2, D1 + 86_400_000, { count: 1, num_count: 1, num_sum: 2, num_sum_sq: 4, num_min: 2, num_max: 2, histogram: hist({ 12: 1 }) }),
  ];

  it("derives days from hours, per version, in ascending order", () => {
    const m = mergeRows(rows, "day");
    expect([...m.keys()]).toEqual([1, 2]);
    const v2 = m.get(2)!;
    expect([...v2.keys()]).toEqual([D1, D1 + 86_400_000]);
    expect(v2.get(D1)).toMatchObject({ count: 5, errors: 1, numCount: 4, numSum: 1.9, numSumSq: 1.35, numMin: 0.1, numMax: 1 });
    expect(v2.get(D1)!.histogram.filter((x) => x > 0)).toEqual([1, 1, 1, 1]);
  });

  it("sums histograms already grouped in SQL (a list of the hours' lists)", () => {
    const grouped = row(1, D1, { count: 2, num_count: 2, histogram: `[${hist({ 3: 1 })},${hist({ 3: 2, 17: 1 })}]` });
    const a = addRow(emptyAgg(), grouped);
    expect(a.histogram[3]).toBe(3);
    expect(a.histogram[17]).toBe(1);
    expect(a.histogram.reduce((x, y) => x + y, 0)).toBe(4);
  });

  it("keeps hours apart when bucketing by hour", () => {
    expect([...mergeRows(rows, "hour").get(2)!.keys()]).toEqual([D1 + H, D1 + 3 * H, D1 + 86_400_000]);
  });
});

describe("summarize", () => {
  it("reports a mean with its interval, or a pass rate with its Wilson interval", () => {
    const a = addRow(
      emptyAgg(),
      row(1, D1, { count: 10, errors: 2, num_count: 4, num_sum: 10, num_sum_sq: 30, num_min: 1, num_max: 4, histogram: hist({ 11: 1, 12: 1, 13: 1, 14: 1 }) }),
    );
    const s = summarize(a);
    expect(s.mean).toMatchObject({ n: 4, value: 2.5, min: 1, max: 4 });
    expect(s.mean!.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.mean!.ci_low).toBeCloseTo(2.5 - 1.959963984540054 * Math.sqrt(5 / 3 / 4), 12);
    expect(s.pass_rate).toBeNull();
    expect(s.histogram![12]).toBe(1);

    const r = summarize(addRow(emptyAgg(), row(1, D1, { count: 10, bool_count: 10, pass_count: 8 })));
    expect(r.mean).toBeNull();
    expect(r.histogram).toBeNull();
    expect(r.pass_rate).toMatchObject({ n: 10, passes: 8, value: 0.8 });
    expect(r.pass_rate!.ci_low).toBeCloseTo(0.4901624715366418, 12);
  });

  it("labels feedback without a scorer version as null", () => {
    expect(versionOut(0)).toBeNull();
    expect(versionOut(3)).toBe(3);
  });
});

describe("compareAggs", () => {
  it.each([
    // current passes/n, previous passes/n → metric, significant at 0.05
    [830, 1000, 790, 1000, true],
    [45, 100, 56, 100, false],
  ])("pass rate %i/%i vs %i/%i: significant=%s", (x1, n1, x2, n2, significant) => {
    const r = compareAggs(
      addRow(emptyAgg(), row(1, D1, { bool_count: n1, pass_count: x1 })),
      addRow(emptyAgg(), row(1, D1, { bool_count: n2, pass_count: x2 })),
    );
    expect(r.metric).toBe("pass_rate");
    expect(r.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.test!.pValue < 0.05).toBe(significant);
  });

  it("compares means with Welch's test, and says nothing without data on both sides", () => {
    // Wikipedia's Welch example as sums: t = -2.4554, p = 0.0214.
    const a = addRow(emptyAgg(), row(1, D1, { num_count: 15, num_sum: 312.3, num_sum_sq: 6612.23 }));
    const b = addRow(emptyAgg(), row(1, D1, { num_count: 15, num_sum: 344.8, num_sum_sq: 7979.18 }));
    const r = compareAggs(a, b);
    expect(r.metric).toBe("mean");
    expect(r.test!.test).toBe("welch_t");
    expect(r.test!.pValue).toBeCloseTo(0.021378001462866992, 9);
    expect(compareAggs(a, emptyAgg())).toEqual({ metric: null, difference: null, test: null });
  });
});

describe("trendWindow", () => {
  it("defaults to the last 30 days and refuses inverted or too wide ranges", () => {
    expect(trendWindow(D1, undefined, undefined, "day")).toEqual({ start: D1 - 30 * 86_400_000, end: D1 });
    expect(() => trendWindow(D1, D1, D1, "day")).toThrow(/before/);
    expect(() => trendWindow(D1, D1 - 100 * 86_400_000, D1, "hour")).toThrow(/at most 93 days/);
    expect(trendWindow(D1, D1 - 90 * 86_400_000, D1, "hour").start).toBe(D1 - 90 * 86_400_000);
  });
});
