import { describe, expect, it } from "vitest";
import { formatAgo, formatBucketLabel, formatCount, formatDateTime, formatMs, formatPercent, formatRate, formatUsd } from "./format";

describe("format", () => {
  it.each([
    [null, "—"],
    [0, "0 ms"],
    [999.4, "999 ms"],
    [1840, "1.84 s"],
    [12_500, "12.5 s"],
    [90_000, "1.5 min"],
  ])("formatMs(%s) = %s", (ms, want) => expect(formatMs(ms)).toBe(want));
  it.each([
    [0, 0, "—"],
    [1, 200, "0.5%"],
    [1, 4, "25%"],
    [3, 3, "100%"],
  ])("formatPercent(%i, %i) = %s", (a, b, want) => expect(formatPercent(a, b)).toBe(want));
  it.each([
    [null, "never"],
    [100_000 - 5000, "5s ago"],
    [100_000 - 120_000, "2 min ago"],
  ])("formatAgo(%s) = %s", (at, want) => expect(formatAgo(at, 100_000)).toBe(want));
  it("groups thousands", () => expect(formatCount(1234567)).toBe("1,234,567"));
});

describe("dates and rates", () => {
  const t = Date.UTC(2026, 2, 10, 14, 5, 9);
  it("formats UTC date-times", () => {
    expect(formatDateTime(t)).toBe("Mar 10, 14:05 UTC");
    expect(formatDateTime(t, { seconds: true })).toBe("Mar 10, 14:05:09 UTC");
    expect(formatDateTime(null)).toBe("—");
  });
  it.each([
    [3600_000, "14:05"],
    [6 * 3600_000, "Mar 10 14:05"],
    [86_400_000, "Mar 10"],
  ])("bucket label for %i ms buckets", (b, want) => expect(formatBucketLabel(t, b)).toBe(want));
  it.each([
    [null, "—"],
    [0, "0%"],
    [1, "100%"],
    [0.005, "0.50%"],
    [0.054, "5.4%"],
    [0.4567, "46%"],
  ])("formatRate(%s) = %s", (r, want) => expect(formatRate(r)).toBe(want));
  it.each([
    [null, "—"],
    [0, "$0.00"],
    [0.0042, "$0.0042"],
    [12.5, "$12.50"],
  ])("formatUsd(%s) = %s", (v, want) => expect(formatUsd(v)).toBe(want));
});
