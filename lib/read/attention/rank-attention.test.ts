import { describe, expect, it } from "vitest";
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import { attentionTotals, rankAttention, severity, type AttentionRow } from "@/lib/read/attention/rank-attention";
import type { AttentionItem } from "@/lib/read/attention/scorer-attention";

function row(
  name: string,
  o: {
    attention?: AttentionItem[];
    errors?: number;
    scores?: number;
    cost?: number;
    lag?: number | null;
    status?: ScorerRuntime["status"];
    paused?: boolean;
    budget?: number | null;
  },
): AttentionRow {
  return {
    experimentId: "1",
    experimentName: "support",
    scorer: { name, status: o.paused ? "PAUSED" : "STARTED" } as Scorer,
    runtime: { status: o.status ?? (o.paused ? "PAUSED" : "RUNNING"), today: { costUsd: o.cost ?? 0 }, dailyBudgetUsd: o.budget ?? null } as ScorerRuntime,
    attention: o.attention ?? [],
    scores24h: o.scores ?? 100,
    errors24h: o.errors ?? 0,
    lagMs: o.lag ?? null,
  };
}
const bad = (text: string): AttentionItem => ({ level: "bad", text });
const warn = (text: string): AttentionItem => ({ level: "warn", text });

const rows = [
  row("quiet", {}),
  row("expensive", { cost: 4.2, attention: [warn("85% of today's budget spent")], budget: 5 }),
  row("failing", { errors: 60, scores: 100, attention: [bad("60% of scores in 24 h are errors")] }),
  row("lagging", { lag: 30 * 60_000, attention: [warn("Behind by 30 min")] }),
  row("noisy", { errors: 80, scores: 1000 }),
  row("paused", { paused: true, attention: [warn("Paused: investigating")] }),
];
const order = (sort: Parameters<typeof rankAttention>[1]) => rankAttention(rows, sort).map((r) => r.scorer.name);

describe("rankAttention", () => {
  it.each([
    ["attention", ["failing", "expensive", "lagging", "paused", "noisy", "quiet"]],
    ["cost", ["expensive", "failing", "lagging", "paused", "noisy", "quiet"]],
    ["errors", ["noisy", "failing", "expensive", "lagging", "paused", "quiet"]],
    ["lag", ["lagging", "failing", "expensive", "paused", "noisy", "quiet"]],
  ] as const)("by %s", (sort, expected) => {
    expect(order(sort)).toEqual(expected);
  });

  it("weighs one bad problem above any number of warnings", () => {
    expect(severity({ attention: [bad("x")] })).toBeGreaterThan(severity({ attention: Array(9).fill(warn("y")) }));
  });
});

describe("attentionTotals", () => {
  it("counts what runs, what is wrong and what it costs", () => {
    const t = attentionTotals([...rows, row("spent", { status: "BUDGET_EXHAUSTED", attention: [bad("Budget reached")] })], { running: 2, queued: 1 });
    expect(t).toMatchObject({
      experiments: 1,
      scorers: 7,
      running: 5,
      paused: 1,
      failing: 2,
      overBudget: 1,
      nearBudget: 1,
      errors24h: 140,
      runningJobs: 2,
      queuedJobs: 1,
    });
    expect(t.costTodayUsd).toBeCloseTo(4.2);
  });
});
