import { describe, expect, it } from "vitest";
import { prepareFunnel } from "./prepare-funnel";

const none = { matched: 0, sampled: 0, scored: 0, failed: 0, skipped: 0, retried: 0, pending: 0, failedByReason: {}, skippedByReason: {}, retriedByReason: {} };

describe("prepareFunnel", () => {
  it("sizes each stage against the matched traces and keeps pre-sampling skips out of 'Skipped'", () => {
    const f = prepareFunnel({
      ...none,
      matched: 200,
      sampled: 20,
      scored: 15,
      failed: 2,
      retried: 4,
      pending: 2,
      skipped: 180 + 30 + 1,
      skippedByReason: { not_sampled: 180, filtered_out: 30, budget: 1 },
      failedByReason: { JUDGE_PARSE_ERROR: 2 },
      retriedByReason: { rate_limited: 4 },
    });
    expect(f.steps.map((s) => [s.key, s.count, s.pct])).toEqual([
      ["matched", 200, 100],
      ["sampled", 20, 10],
      ["scored", 15, 7.5],
      ["failed", 2, 1],
      ["skipped", 1, 0.5],
    ]);
    expect(f.reasons).toEqual(
      [
        { label: "Failed: judge parse error", count: 2, tone: "bad" },
        { label: "Retried: rate limited", count: 4, tone: "" },
        { label: "Skipped: daily budget spent", count: 1, tone: "warn" },
      ].sort((a, b) => b.count - a.count),
    );
    expect([f.notSampled, f.filteredOut, f.inFlight]).toEqual([180, 30, 2]);
    expect(f.empty).toBe(false);
  });

  it("flags a filter that no longer parses", () => {
    const f = prepareFunnel({ ...none, skipped: 5, skippedByReason: { invalid_filter: 5 } });
    expect(f.reasons).toEqual([{ label: "Skipped: filter no longer parses", count: 5, tone: "bad" }]);
  });

  it("is empty before the engine has seen anything, without dividing by zero", () => {
    const f = prepareFunnel({ ...none });
    expect(f.empty).toBe(true);
    expect(f.steps.every((s) => s.pct === 0)).toBe(true);
  });

  it("caps bars at 100% when more was sampled than matched in the window", () => {
    const f = prepareFunnel({ ...none, sampled: 10, scored: 10 });
    expect(f.steps.find((s) => s.key === "scored")!.pct).toBe(100);
  });

  it("adds what jobs scored and failed as steps of their own, and lists the jobs", () => {
    const jobs = {
      scored: 30,
      failed: 2,
      jobs: [
        {
          jobId: "job-0123456789abcdef",
          kind: "backfill" as const,
          status: "SUCCEEDED",
          rescore: true,
          startMs: Date.UTC(2026, 2, 1),
          endMs: Date.UTC(2026, 2, 4),
          createdAt: 0,
          scored: 30,
          failed: 2,
        },
      ],
    };
    const f = prepareFunnel({ ...none, matched: 100, sampled: 10, scored: 10 }, jobs);
    expect(f.steps.slice(-2).map((s) => [s.key, s.count, s.pct])).toEqual([
      ["job_scored", 30, 30],
      ["job_failed", 2, 2],
    ]);
    expect(f.jobs).toEqual([
      { jobId: "job-0123456789abcdef", text: expect.stringMatching(/^backfill \(score again\), traces .+ – .+, succeeded: 30 scored, 2 failed$/), tone: "bad" },
    ]);
    // Jobs alone make a funnel worth showing; without jobs there are no job steps.
    expect(prepareFunnel(none, jobs).empty).toBe(false);
    expect(prepareFunnel({ ...none, matched: 1 }).steps.map((s) => s.key)).not.toContain("job_scored");
  });
});
