import { describe, expect, it } from "vitest";
import { jobProgress, jobsRefetchInterval, jobTarget } from "./job-progress";

const job = { kind: "assess" as const, status: "RUNNING" as const, total: 200, done: 50, failed: 0, skipped: 0, traces_total: 200, traces_scanned: 200 };

describe("jobProgress", () => {
  const cases: [string, Record<string, unknown>, number | null, string, string][] = [
    ["running assess", {}, 25, "50 of 200 done", ""],
    ["with failures and skips", { done: 110, failed: 10, skipped: 40 }, 80, "160 of 200 done · 10 failed · 40 already scored", ""],
    ["skipped pairs complete a job", { status: "SUCCEEDED", done: 34, skipped: 4, total: 38 }, 100, "38 of 38 done · 4 already scored", "done"],
    ["queued", { status: "QUEUED", done: 0, total: 0 }, 0, "0 of 0 done", ""],
    [
      "backfill scanning",
      { kind: "backfill", total: 30, done: 10, traces_total: 1000, traces_scanned: 250 },
      25,
      "Scanning 250 of 1,000 traces · 10 scored",
      "",
    ],
    [
      "backfill scanned",
      { kind: "backfill", total: 100, done: 100, traces_total: 1000, traces_scanned: 1000, status: "SUCCEEDED" },
      100,
      "100 of 100 done",
      "done",
    ],
    ["nothing left to do", { status: "SUCCEEDED", total: 0, done: 0, skipped: 12 }, 100, "Nothing to score (12 already scored)", "done"],
    ["failed job", { status: "FAILED" }, 25, "50 of 200 done", "failed"],
    ["every pair scored before", { status: "SUCCEEDED", total: 10, done: 0, skipped: 10 }, 100, "Nothing new to score: all 10 already scored", "done"],
  ];
  it.each(cases)("%s", (_, over, pct, label, tone) => {
    const p = jobProgress({ ...job, ...over } as never);
    expect(p.pct).toBe(pct);
    expect(p.label).toBe(label);
    expect(p.tone).toBe(tone);
  });
});

describe("jobsRefetchInterval", () => {
  it("polls each second while a job is active", () => {
    expect(jobsRefetchInterval([{ status: "SUCCEEDED" }, { status: "RUNNING" }])).toBe(1000);
    expect(jobsRefetchInterval([{ status: "SUCCEEDED" }, { status: "CANCELLED" }])).toBe(15_000);
    expect(jobsRefetchInterval([])).toBe(15_000);
  });
});

describe("jobTarget", () => {
  const fmt = (ms: number) => `@${ms}`;
  it.each([
    [{ start_time_ms: null, end_time_ms: null }, "all traces"],
    [{ start_time_ms: 5, end_time_ms: 9 }, "@5 – @9"],
    [{ start_time_ms: 5, end_time_ms: null, filter_string: "trace.status = 'ERROR'" }, "since @5 · trace.status = 'ERROR'"],
    [{ start_time_ms: null, end_time_ms: 9 }, "until @9"],
    [{ start_time_ms: null, end_time_ms: null, trace_ids_count: 5 }, "5 picked traces"],
    [{ start_time_ms: null, end_time_ms: null, trace_ids_count: 1 }, "1 picked trace"],
  ])("%j -> %s", (j, want) => expect(jobTarget(j, fmt)).toBe(want));
});
