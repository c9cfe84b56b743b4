import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { binUpperMs, histogramQuantile, LATENCY_BIN_RATIO, latencyBin, latencyBinSql } from "./latency-histogram";

const binOf = latencyBin;

describe("latencyBin", () => {
  const db = new Database(":memory:");
  const sqlBin = db.prepare(`SELECT ${latencyBinSql("@ms")} AS b`).pluck();
  // The JS bin (remote traffic) must match SQLite's (the hot store) for every duration.
  it.each([0, 0.5, 1, 1.04, 1.05, 2, 17, 999.9, 1000, 1840, 60_000, 3_600_000])("%s ms falls in the same bin in JS and SQL", (ms) => {
    expect(latencyBin(ms)).toBe(sqlBin.get({ ms }));
  });
});

function histogram(durations: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const d of durations) m.set(binOf(d), (m.get(binOf(d)) ?? 0) + 1);
  return m;
}

describe("histogramQuantile", () => {
  it("is null for no data", () => expect(histogramQuantile(new Map(), 0.5)).toBeNull());

  it.each([
    [0.5, 500],
    [0.95, 950],
    [0.99, 990],
    [1, 1000],
  ])("q=%s of 1..1000 ms is within 5%% above the exact value %s", (q, exact) => {
    const d = Array.from({ length: 1000 }, (_, i) => i + 1);
    const got = histogramQuantile(histogram(d), q)!;
    expect(got).toBeGreaterThanOrEqual(exact * 0.99);
    expect(got).toBeLessThanOrEqual(exact * LATENCY_BIN_RATIO + 1);
  });

  it("puts sub-millisecond durations under 1 ms", () => {
    expect(histogramQuantile(histogram([0, 0.2, 0.7]), 0.5)).toBe(1);
    expect(binUpperMs(0)).toBe(1);
  });
});
