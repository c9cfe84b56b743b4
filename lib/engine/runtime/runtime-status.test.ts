import { describe, expect, it } from "vitest";
import { runtimeStatus, type StatusFacts } from "./runtime-status";

const now = Date.UTC(2026, 2, 1, 15, 0);
const base: StatusFacts = { runnable: true, sampleRate: 0.5, pausedReason: null, accountPausedReason: null, dailyBudgetUsd: null, spentTodayUsd: 0, now };

describe("runtimeStatus", () => {
  it.each([
    ["running", {}, "RUNNING"],
    ["stopped (rate 0)", { sampleRate: 0 }, "STOPPED"],
    ["operator pause", { pausedReason: "noisy" }, "PAUSED"],
    ["account pause outranks an operator pause", { pausedReason: "noisy", accountPausedReason: "HTTP 401" }, "ACCOUNT_PAUSED"],
    ["not runnable outranks everything", { runnable: false, accountPausedReason: "HTTP 401" }, "NOT_RUNNABLE"],
    ["budget spent", { dailyBudgetUsd: 1, spentTodayUsd: 1.2 }, "BUDGET_EXHAUSTED"],
    ["budget not yet spent", { dailyBudgetUsd: 1, spentTodayUsd: 0.99 }, "RUNNING"],
    ["a stopped scorer is stopped, whatever its budget", { sampleRate: 0, dailyBudgetUsd: 1, spentTodayUsd: 5 }, "STOPPED"],
  ] as const)("%s", (_, facts, want) => {
    expect(runtimeStatus({ ...base, ...facts }).status).toBe(want);
  });

  it("says when a spent budget is available again (next UTC midnight)", () => {
    const s = runtimeStatus({ ...base, dailyBudgetUsd: 2, spentTodayUsd: 2.5 });
    expect(s.budgetResetsAt).toBe(Date.UTC(2026, 2, 2));
    expect(s.reason).toBe("Daily budget of $2.00 spent ($2.50 today); sampling resumes at 2026-03-02T00:00:00.000Z.");
  });

  it("shows budgets under a cent with two significant digits", () => {
    expect(runtimeStatus({ ...base, dailyBudgetUsd: 0.001, spentTodayUsd: 0.001089 }).reason).toMatch(/^Daily budget of \$0\.0010 spent \(\$0\.0011 today\)/);
  });

  it("names the account error and the way out", () => {
    expect(runtimeStatus({ ...base, accountPausedReason: "Judge endpoint answered HTTP 401: bad key" }).reason).toMatch(/HTTP 401: bad key.*resume/);
  });
});
