// The on-call view across experiments: every scorer as one row with what is wrong, ranked worst
// first (or by cost, errors, lag). Pure: rows in, sorted rows and totals out.
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import type { AttentionItem } from "@/lib/read/attention/scorer-attention";

export const attentionSorts = ["attention", "cost", "errors", "lag"] as const;
export type AttentionSort = (typeof attentionSorts)[number];

export interface AttentionRow {
  experimentId: string;
  experimentName: string;
  scorer: Scorer;
  runtime: ScorerRuntime;
  attention: AttentionItem[];
  scores24h: number;
  errors24h: number;
  /** Online lag of a started scorer (age of the oldest waiting trace), ms; null when none. */
  lagMs: number | null;
}

export interface AttentionTotals {
  experiments: number;
  scorers: number;
  running: number;
  paused: number;
  failing: number;
  overBudget: number;
  nearBudget: number;
  scores24h: number;
  errors24h: number;
  costTodayUsd: number;
  runningJobs: number;
  queuedJobs: number;
}

/** How bad a row is: a "bad" problem outweighs any number of warnings; errors then cost break ties. */
export function severity(r: Pick<AttentionRow, "attention">): number {
  return r.attention.reduce((s, a) => s + (a.level === "bad" ? 1000 : 100), 0);
}

const errorShare = (r: AttentionRow) => (r.scores24h > 0 ? r.errors24h / r.scores24h : 0);

const compare: Record<AttentionSort, (a: AttentionRow, b: AttentionRow) => number> = {
  attention: (a, b) => severity(b) - severity(a) || errorShare(b) - errorShare(a) || b.runtime.today.costUsd - a.runtime.today.costUsd,
  cost: (a, b) => b.runtime.today.costUsd - a.runtime.today.costUsd || severity(b) - severity(a),
  errors: (a, b) => b.errors24h - a.errors24h || errorShare(b) - errorShare(a) || severity(b) - severity(a),
  lag: (a, b) => (b.lagMs ?? -1) - (a.lagMs ?? -1) || severity(b) - severity(a),
};

/** Rows sorted by `sort`; equal rows keep experiment then scorer name order, so the page is stable. */
export function rankAttention(rows: readonly AttentionRow[], sort: AttentionSort): AttentionRow[] {
  return [...rows].sort((a, b) => compare[sort](a, b) || a.experimentName.localeCompare(b.experimentName) || a.scorer.name.localeCompare(b.scorer.name));
}

export function attentionTotals(rows: readonly AttentionRow[], jobs: { running: number; queued: number }): AttentionTotals {
  const paused = (r: AttentionRow) => r.scorer.status === "PAUSED" || r.runtime.status === "ACCOUNT_PAUSED";
  return {
    experiments: new Set(rows.map((r) => r.experimentId)).size,
    scorers: rows.length,
    running: rows.filter((r) => r.runtime.status === "RUNNING").length,
    paused: rows.filter(paused).length,
    failing: rows.filter((r) => r.attention.some((a) => a.level === "bad")).length,
    overBudget: rows.filter((r) => r.runtime.status === "BUDGET_EXHAUSTED").length,
    nearBudget: rows.filter((r) => r.runtime.status !== "BUDGET_EXHAUSTED" && r.attention.some((a) => /of today's budget/.test(a.text))).length,
    scores24h: rows.reduce((s, r) => s + r.scores24h, 0),
    errors24h: rows.reduce((s, r) => s + r.errors24h, 0),
    costTodayUsd: rows.reduce((s, r) => s + r.runtime.today.costUsd, 0),
    runningJobs: jobs.running,
    queuedJobs: jobs.queued,
  };
}
