import { describe, expect, it } from "vitest";
import { prepareTrend, type TrendIn } from "./prepare-trend";

const D = 86_400_000;
const t0 = Date.UTC(2026, 2, 1);
const rate = (value: number, n: number) => ({ count: n, errors: 0, mean: null, pass_rate: { n, value, ci_low: value - 0.1, ci_high: value + 0.1 } });

describe("prepareTrend", () => {
  it("puts each version's pass rate and interval on one time axis, gaps as null", () => {
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
    const c = prepareTrend(trend);
    expect(c.metric).toBe("pass_rate");
    expect(c.series.map((s) => [s.key, s.label])).toEqual([
      ["v1", "version 1"],
      ["v2", "version 2"],
    ]);
    expect(c.rows).toHaveLength(2);
    expect(c.rows[0]).toMatchObject({ t: t0, label: "Mar 1", v1: 0.8, v1_n: 50, v2: null, v2_band: null, v2_n: 0 });
    expect((c.rows[0]!.v1_band as [number, number])[0]).toBeCloseTo(0.7);
    expect(c.rows[1]).toMatchObject({ v1: 0.7, v2: 0.9 });
    expect(c.total).toBe(100);
    expect(c.empty).toBe(false);
  });

  it("uses the mean for numeric scorers and leaves out a band it cannot compute", () => {
    const c = prepareTrend({
      bucket: "hour",
      series: [
        { scorer_version: null, points: [{ bucket_start: t0, count: 1, errors: 1, mean: { n: 1, value: 3, ci_low: null, ci_high: null }, pass_rate: null }] },
      ],
    });
    expect(c.metric).toBe("mean");
    expect(c.series[0]!.label).toMatch(/no version/);
    expect(c.rows[0]).toMatchObject({ label: "00:00", vnone: 3, vnone_band: null });
    expect(c.errors).toBe(1);
  });

  it("labels hourly points with their date when they span more than a day", () => {
    const H = 3600_000;
    const c = prepareTrend({
      bucket: "hour",
      series: [
        {
          scorer_version: 1,
          points: [
            { bucket_start: t0 + 9 * H, ...rate(0.5, 2) },
            { bucket_start: t0 + D + 9 * H, ...rate(0.5, 2) },
          ],
        },
      ],
    });
    expect(c.rows.map((r) => r.label)).toEqual(["Mar 1 09:00", "Mar 2 09:00"]);
  });

  it("is empty without points or with only errors", () => {
    expect(prepareTrend({ bucket: "day", series: [] }).empty).toBe(true);
    const onlyErrors = prepareTrend({
      bucket: "day",
      series: [{ scorer_version: 1, points: [{ bucket_start: t0, count: 2, errors: 2, mean: null, pass_rate: null }] }],
    });
    expect(onlyErrors).toMatchObject({ empty: true, metric: null, errors: 2 });
  });
});
