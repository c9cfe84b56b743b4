import { describe, expect, it } from "vitest";
import { scorerAttention, type ScorerFacts } from "./scorer-attention";
import type { ScorerHealth } from "./scorer-health";

const healthy: ScorerHealth = {
  from: 0, to: 0, buckets: [], scores24h: 100, errors24h: 0, passRate24h: 0.9, mean24h: null, lastScoredAt: 1,
  pendingTasks: 0, retryingTasks: 0, oldestPendingAt: null, lagMs: null, callsToday: 0, costTodayUsd: 0,
  unpricedCallsToday: 0, budgetUsd: null, accountPausedReason: null, accountPausedAt: null,
};
const started: ScorerFacts = { status: "STARTED", runnable: true };

describe("scorerAttention", () => {
  it.each<[string, Partial<ScorerFacts>, Partial<ScorerHealth>, { level: string; text: RegExp }[]]>([
    ["a healthy scorer", {}, {}, []],
    ["not runnable", { runnable: false, notRunnableReason: "Python scorers cannot run in Vigil" }, {}, [{ level: "bad", text: /Cannot run here: Python/ }]],
    ["paused by an operator", { status: "PAUSED", pausedReason: "too expensive" }, {}, [{ level: "warn", text: /Paused: too expensive/ }]],
    ["paused by the account, said once", { status: "PAUSED", pausedReason: "HTTP 401" }, { accountPausedReason: "HTTP 401 from judge" }, [{ level: "bad", text: /Judge account refused: HTTP 401/ }]],
    ["budget spent", {}, { budgetUsd: 5, costTodayUsd: 5.2 }, [{ level: "bad", text: /Daily budget spent \(\$5\.20 of \$5\.00\)/ }]],
    ["budget nearly spent", {}, { budgetUsd: 5, costTodayUsd: 4.1 }, [{ level: "warn", text: /82% of today's budget/ }]],
    ["many errors", {}, { scores24h: 20, errors24h: 4 }, [{ level: "warn", text: /20% of scores in 24 h are errors/ }]],
    ["mostly errors", {}, { scores24h: 10, errors24h: 9 }, [{ level: "bad", text: /90% of scores/ }]],
    ["two errors are not a trend", {}, { scores24h: 4, errors24h: 2 }, []],
    ["lagging", {}, { lagMs: 25 * 60_000, pendingTasks: 300 }, [{ level: "warn", text: /Behind by 25 min \(300 queued\)/ }]],
    ["lag of a stopped scorer is not its problem", { status: "STOPPED" }, { lagMs: 25 * 60_000 }, []],
    ["unpriced calls", {}, { unpricedCallsToday: 3 }, [{ level: "warn", text: /3 judge calls today have no price/ }]],
  ])("%s", (_, facts, health, want) => {
    const got = scorerAttention({ ...started, ...facts }, { ...healthy, ...health });
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(got[i]!.level).toBe(w.level);
      expect(got[i]!.text).toMatch(w.text);
    });
  });

  it("puts the worst problems first", () => {
    const got = scorerAttention({ ...started, runnable: false, notRunnableReason: "x" }, { ...healthy, lagMs: 3600_000, budgetUsd: 1, costTodayUsd: 2 });
    expect(got.map((g) => g.level)).toEqual(["bad", "bad", "warn"]);
  });
});
