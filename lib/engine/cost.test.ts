import { describe, expect, it } from "vitest";
import { budgetLeft, costUsd, nextUtcMidnight, priceFor, utcDay, type PriceTable } from "./cost";

const prices: PriceTable = { "gpt-4o": { input: 2.5, output: 10 }, "gpt-4o-mini": { input: 0.15, output: 0.6 } };

describe("judge cost", () => {
  it.each([
    ["gpt-4o", 2.5],
    ["gpt-4o-mini", 0.15],
    ["gpt-4o-mini-2024-07-18", 0.15], // longest prefix, not "gpt-4o"
    ["gpt-4o-2024-08-06", 2.5],
  ])("prices %s at %d per M input tokens", (model, input) => {
    expect(priceFor(model, prices)?.input).toBe(input);
  });

  it("has no price for an unknown model, and so no cost (not zero)", () => {
    expect(priceFor("claude-x", prices)).toBeUndefined();
    expect(costUsd({ model: "claude-x", promptTokens: 100, completionTokens: 10 }, prices)).toBeNull();
  });

  it("computes the cost from both token counts", () => {
    // 321 * 0.15 + 42 * 0.6 = 73.35 per million
    expect(costUsd({ model: "gpt-4o-mini", promptTokens: 321, completionTokens: 42 }, prices)).toBeCloseTo(73.35e-6, 12);
  });
});

describe("budget days", () => {
  it.each([
    [Date.UTC(2026, 2, 1, 0, 0, 0), "2026-03-01", Date.UTC(2026, 2, 2)],
    [Date.UTC(2026, 2, 1, 23, 59, 59, 999), "2026-03-01", Date.UTC(2026, 2, 2)],
    [Date.UTC(2026, 1, 28, 12), "2026-02-28", Date.UTC(2026, 2, 1)],
    [Date.UTC(2026, 11, 31, 12), "2026-12-31", Date.UTC(2027, 0, 1)],
  ])("%i is day %s; the next starts at %i", (ms, day, next) => {
    expect(utcDay(ms)).toBe(day);
    expect(nextUtcMidnight(ms)).toBe(next);
  });

  it.each([
    [null, 100, true],
    [1, 0.99, true],
    [1, 1, false],
    [0, 0, false],
  ])("budget %s with %d spent -> may spend: %s", (budget, spent, want) => {
    expect(budgetLeft(budget, spent)).toBe(want);
  });
});
