import { describe, expect, it } from "vitest";
import { scorerAttention, type HealthFacts, type RuntimeFacts } from "@/lib/read/attention/scorer-attention";

const running: RuntimeFacts = {
  status: "RUNNING",
  reason: null,
  dailyBudgetUsd: null,
  lastError: null,
  today: { day: "2026-03-01", calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, unpricedCalls: 0 },
  pending: { online: 0, jobs: 0, retrying: 0 },
  lag: { backlogTraces: 0, oldestWaitingMs: null, checkpoint: null },
};
const healthy: HealthFacts = { scores24h: 100, errors24h: 0 };
const today = (o: Partial<RuntimeFacts["today"]>) => ({ today: { ...running.today, ...o } });

describe("scorerAttention", () => {
  it.each<[string, Partial<RuntimeFacts>, Partial<HealthFacts>, { level: string; text: RegExp }[]]>([
    ["a healthy scorer", {}, {}, []],
    ["not runnable", { status: "NOT_RUNNABLE", reason: "Python scorers cannot run in Vigil" }, {}, [{ level: "bad", text: /Cannot run here: Python/ }]],
    ["paused by an operator", { status: "PAUSED", reason: "too expensive" }, {}, [{ level: "warn", text: /Paused: too expensive/ }]],
    ["paused with the default reason", { status: "PAUSED", reason: "Paused by an operator." }, {}, [{ level: "warn", text: /^Paused by an operator\.$/ }]],
    [
      "paused by the engine after an account error",
      { status: "ACCOUNT_PAUSED", reason: "Paused by the engine after an account error: 401" },
      {},
      [{ level: "bad", text: /account error: 401/ }],
    ],
    [
      "budget spent",
      { status: "BUDGET_EXHAUSTED", reason: "Daily budget of $5.00 spent", dailyBudgetUsd: 5, ...today({ costUsd: 5.2 }) },
      {},
      [{ level: "bad", text: /Daily budget of \$5\.00 spent/ }],
    ],
    ["budget nearly spent", { dailyBudgetUsd: 5, ...today({ costUsd: 4.1 }) }, {}, [{ level: "warn", text: /82% of today's budget/ }]],
    ["many errors", { lastError: "timeout" }, { scores24h: 20, errors24h: 4 }, [{ level: "warn", text: /20% of scores in 24 h are errors \(last: timeout\)/ }]],
    ["mostly errors", {}, { scores24h: 10, errors24h: 9 }, [{ level: "bad", text: /90% of scores/ }]],
    ["two errors are not a trend", {}, { scores24h: 4, errors24h: 2 }, []],
    [
      "lagging",
      { lag: { backlogTraces: 1200, oldestWaitingMs: 25 * 60_000, checkpoint: null }, pending: { online: 300, jobs: 0, retrying: 0 } },
      {},
      [{ level: "warn", text: /Behind by 25 min: 1,200 traces waiting, 300 pairs queued/ }],
    ],
    ["lag does not concern a stopped scorer", { status: "STOPPED", lag: { backlogTraces: 5, oldestWaitingMs: 25 * 60_000, checkpoint: null } }, {}, []],
    ["retries", { pending: { online: 3, jobs: 0, retrying: 2 }, lastError: "HTTP 503" }, {}, [{ level: "warn", text: /2 pairs are being retried.*HTTP 503/ }]],
    ["one retry", { pending: { online: 3, jobs: 0, retrying: 1 }, lastError: null }, {}, [{ level: "warn", text: /^1 pair is being retried after/ }]],
    ["unpriced calls", today({ unpricedCalls: 3 }), {}, [{ level: "warn", text: /3 judge calls today have no price/ }]],
  ])("%s", (_, runtime, health, want) => {
    const got = scorerAttention({ ...running, ...runtime }, { ...healthy, ...health });
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(got[i]!.level).toBe(w.level);
      expect(got[i]!.text).toMatch(w.text);
    });
  });

  it("puts the worst problems first", () => {
    const got = scorerAttention({ ...running, pending: { online: 0, jobs: 0, retrying: 1 } }, { scores24h: 10, errors24h: 9 });
    expect(got.map((g) => g.level)).toEqual(["bad", "warn"]);
  });
});
