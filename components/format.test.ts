import { describe, expect, it } from "vitest";
import { formatAgo, formatCount, formatMs, formatPercent } from "./format";

describe("format", () => {
  it.each([
    [null, "—"], [0, "0 ms"], [999.4, "999 ms"], [1840, "1.84 s"], [12_500, "12.5 s"], [90_000, "1.5 min"],
  ])("formatMs(%s) = %s", (ms, want) => expect(formatMs(ms)).toBe(want));
  it.each([[0, 0, "—"], [1, 200, "0.5%"], [1, 4, "25%"], [3, 3, "100%"]])(
    "formatPercent(%i, %i) = %s", (a, b, want) => expect(formatPercent(a, b)).toBe(want));
  it.each([[null, "never"], [100_000 - 5000, "5s ago"], [100_000 - 120_000, "2 min ago"]])(
    "formatAgo(%s) = %s", (at, want) => expect(formatAgo(at, 100_000)).toBe(want));
  it("groups thousands", () => expect(formatCount(1234567)).toBe("1,234,567"));
});
