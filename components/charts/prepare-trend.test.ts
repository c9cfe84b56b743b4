import { describe, expect, it } from "vitest";
import { MIN_BUCKET_N, prepareTrend, type TrendIn } from "./prepare-trend";

const H = 3600_000;
const D = 86_400_000;
const t0 = Date.UTC(2026, 2, 1);
const rate = (value: number, n: number) => ({ count: n, errors: 0, mean: null, pass_rate: { n, value, ci_low: value - 0.1, ci_high: value + 0.1 } });
const oneSeries = (bucket: TrendIn["bucket"], points: TrendIn["series"][number]["points"]): TrendIn => ({ bucket, series: [{ scorer_version: 1, points }] });

describe("prepareTrend", () => {
  it("puts each version's pass rate and interval on one time axis that spans the window, gaps as null", () => {
    const trend: TrendIn = {
      bucket: "day",
      series: [
        {
          scorer_version: 1,
          points: [
            { bucket_start: t0, ...rate(0.8, 50) },
            { bucket_start: t0 + D, ...rate(0.7, 40) },
          ],
        },
        { scorer_version: 2, points: [{ bucket_start: t0 + D, ...rate(0.9, 10) }] },
      ],
    };
    const c = prepareTrend(trend, { start: t0, end: t0 + 4 * D });
    expect(c.metric).toBe("pass_rate");
    expect(c.series.map((s) => [s.key, s.label])).toEqual([
      ["v1", "version 1"],
      ["v2", "version 2"],
    ]);
    // Four days in the window: four rows, the last two without scores.
    expect(c.rows.map((r) => r.label)).toEqual(["Mar 1", "Mar 2", "Mar 3", "Mar 4"]);
    expect(c.domain).toEqual([t0, t0 + 4 * D]);
    expect(c.rows[0]).toMatchObject({ t: t0, v1: 0.8, v1_n: 50, v1_weak: false, v2: null, v2_band: null, v2_n: 0, partial: false });
    expect((c.rows[0]!.v1_band as [number, number])[0]).toBeCloseTo(0.7);
    expect(c.rows[1]).toMatchObject({ v1: 0.7, v2: 0.9 });
    expect(c.rows[2]).toMatchObject({ v1: null, v2: null });
    expect(c.total).toBe(100);
    expect(c.empty).toBe(false);
    expect(c.weak).toBe(false);
  });

  it.each([
    ["a bucket with enough scores inside the window", t0 + D, 50, { start: t0, end: t0 + 3 * D }, false],
    [`fewer than ${MIN_BUCKET_N} scores`, t0 + D, MIN_BUCKET_N - 1, { start: t0, end: t0 + 3 * D }, true],
    ["the current bucket (the window ends inside it)", t0 + 2 * D, 50, { start: t0, end: t0 + 2 * D + 5 * H }, true],
    ["the first bucket, which the window's start cuts", t0, 50, { start: t0 + 19 * H, end: t0 + 3 * D }, true],
    ["today, with the end rounded to midnight but now at 19:00", t0 + 2 * D, 50, { start: t0, end: t0 + 3 * D, now: t0 + 2 * D + 19 * H }, true],
    ["the current hour, with the end rounded up to the hour", t0 + 2 * D, 50, { start: t0, end: t0 + 2 * D + H, now: t0 + 2 * D + 20 * 60_000 }, true],
    ["yesterday, complete before now", t0 + D, 50, { start: t0, end: t0 + 3 * D, now: t0 + 2 * D + 19 * H }, false],
    ["a bucket that ends exactly at now", t0 + D, 50, { start: t0, end: t0 + 3 * D, now: t0 + 2 * D }, false],
  ])("%s: weak=%s marks the point and drops its interval", (_what, t, n, window, weak) => {
    const c = prepareTrend(oneSeries("day", [{ bucket_start: t, ...rate(0.6, n) }]), window);
    const row = c.rows.find((r) => r.t === t)!;
    expect(row).toMatchObject({ v1: 0.6, v1_n: n, v1_weak: weak });
    expect(row.v1_band === null).toBe(weak);
    expect(c.weak).toBe(weak);
  });

  it("a series of one bucket still has its one point, among empty buckets", () => {
    const c = prepareTrend(oneSeries("hour", [{ bucket_start: t0 + 5 * H, ...rate(1, 30) }]), { start: t0, end: t0 + 12 * H });
    expect(c.rows).toHaveLength(12);
    expect(c.rows.filter((r) => r.v1 !== null).map((r) => r.t)).toEqual([t0 + 5 * H]);
    expect(c.empty).toBe(false);
  });

  it("uses the mean for numeric scorers and leaves out a band it cannot compute", () => {
    const c = prepareTrend(
      {
        bucket: "hour",
        series: [
          { scorer_version: null, points: [{ bucket_start: t0, count: 1, errors: 1, mean: { n: 1, value: 3, ci_low: null, ci_high: null }, pass_rate: null }] },
        ],
      },
      { start: t0, end: t0 + H },
    );
    expect(c.metric).toBe("mean");
    expect(c.series[0]!.label).toMatch(/no version/);
    expect(c.rows).toEqual([expect.objectContaining({ label: "00:00", vnone: 3, vnone_band: null })]);
    expect(c.errors).toBe(1);
  });

  it.each([
    ["hour", { start: t0, end: t0 + D }, H, "09:00"],
    ["hour", { start: t0, end: t0 + 2 * D }, 6 * H, "Mar 1 09:00"],
    ["day", { start: t0, end: t0 + 30 * D }, D, "Mar 1"],
  ] as const)("%s buckets over %j are labelled per %i ms (%s)", (bucket, window, labelMs, label) => {
    const c = prepareTrend(oneSeries(bucket, [{ bucket_start: t0 + (bucket === "hour" ? 9 * H : 0), ...rate(0.5, 20) }]), window);
    expect(c.labelMs).toBe(labelMs);
    expect(c.rows.find((r) => r.v1 !== null)!.label).toBe(label);
  });

  it("is empty without points or with only errors", () => {
    const w = { start: t0, end: t0 + 2 * D };
    expect(prepareTrend({ bucket: "day", series: [] }, w).empty).toBe(true);
    const onlyErrors = prepareTrend(oneSeries("day", [{ bucket_start: t0, count: 2, errors: 2, mean: null, pass_rate: null }]), w);
    expect(onlyErrors).toMatchObject({ empty: true, metric: null, errors: 2 });
  });
});
