import { describe, expect, it } from "vitest";
import { prepareFunnel } from "./prepare-funnel";

describe("prepareFunnel", () => {
  it("sizes each stage against the matched traces and lists reasons", () => {
    const f = prepareFunnel({
      stages: { matched: 200, sampled: 20, scored: 15, failed: 2, skipped: 1, retried: 4 },
      reasons: [{ stage: "failed", reason: "JUDGE_PARSE_ERROR", count: 2 }, { stage: "skipped", reason: "budget", count: 1 }],
    });
    expect(f.steps.map((s) => [s.key, s.count, s.pct])).toEqual([
      ["matched", 200, 100], ["sampled", 20, 10], ["scored", 15, 7.5], ["failed", 2, 1], ["skipped", 1, 0.5],
    ]);
    expect(f.reasons).toEqual([
      { label: "Failed: JUDGE_PARSE_ERROR", count: 2, tone: "bad" },
      { label: "Skipped: budget", count: 1, tone: "warn" },
    ]);
    expect(f.inFlight).toBe(2);
    expect(f.empty).toBe(false);
  });

  it("is empty before the engine has seen anything, without dividing by zero", () => {
    const f = prepareFunnel({ stages: { matched: 0, sampled: 0, scored: 0, failed: 0, skipped: 0, retried: 0 }, reasons: [] });
    expect(f.empty).toBe(true);
    expect(f.steps.every((s) => s.pct === 0)).toBe(true);
  });

  it("caps bars at 100% when a job sampled more than online matching counted", () => {
    const f = prepareFunnel({ stages: { matched: 0, sampled: 10, scored: 10, failed: 0, skipped: 0, retried: 0 }, reasons: [] });
    expect(f.steps.find((s) => s.key === "scored")!.pct).toBe(100);
  });
});
