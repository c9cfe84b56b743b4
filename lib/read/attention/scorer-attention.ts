// What is wrong with a scorer, in words, so the overview can show it without a click. Pure: the
// engine's runtime (status and why, spend, queue, lag) and the last day's scores in; a list of
// problems out, worst first.
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { ScorerHealth } from "@/lib/read/scorers/scorer-health";
import { countOf } from "@/lib/core/plural";

export interface AttentionItem {
  level: "bad" | "warn";
  text: string;
}

export type RuntimeFacts = Pick<ScorerRuntime, "status" | "reason" | "dailyBudgetUsd" | "today" | "pending" | "lag" | "lastError">;
export type HealthFacts = Pick<ScorerHealth, "scores24h" | "errors24h">;

export const LAG_WARN_MS = 10 * 60_000;
export const ERROR_SHARE_WARN = 0.1;
export const BUDGET_WARN_SHARE = 0.8;

const duration = (ms: number) => (ms < 3600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3600_000).toFixed(1)} h`);

export function scorerAttention(r: RuntimeFacts, h: HealthFacts): AttentionItem[] {
  const out: AttentionItem[] = [];
  switch (r.status) {
    case "NOT_RUNNABLE":
      out.push({ level: "bad", text: `Cannot run here: ${r.reason ?? "unknown scorer kind"}` });
      break;
    case "ACCOUNT_PAUSED":
    case "BUDGET_EXHAUSTED":
      out.push({ level: "bad", text: r.reason ?? r.status });
      break;
    case "PAUSED":
      // The default reason already says "Paused by …": no "Paused: Paused by".
      out.push({ level: "warn", text: r.reason && /^paused\b/i.test(r.reason) ? r.reason : `Paused: ${r.reason ?? "no reason given"}` });
      break;
  }
  const budget = r.dailyBudgetUsd;
  if (budget !== null && r.status !== "BUDGET_EXHAUSTED" && budget > 0 && r.today.costUsd >= BUDGET_WARN_SHARE * budget) {
    out.push({ level: "warn", text: `${Math.round((100 * r.today.costUsd) / budget)}% of today's budget spent` });
  }
  if (h.scores24h > 0 && h.errors24h >= 3 && h.errors24h / h.scores24h >= ERROR_SHARE_WARN) {
    const share = h.errors24h / h.scores24h;
    out.push({
      level: share >= 0.5 ? "bad" : "warn",
      text: `${Math.round(100 * share)}% of scores in 24 h are errors${r.lastError ? ` (last: ${r.lastError})` : ""}`,
    });
  }
  if (r.status === "RUNNING" && r.lag.oldestWaitingMs !== null && r.lag.oldestWaitingMs >= LAG_WARN_MS) {
    out.push({
      level: "warn",
      text: `Behind by ${duration(r.lag.oldestWaitingMs)}: ${countOf(r.lag.backlogTraces, "trace")} waiting, ${countOf(r.pending.online, "pair")} queued`,
    });
  }
  if (r.pending.retrying > 0) {
    out.push({
      level: "warn",
      text: `${countOf(r.pending.retrying, "pair is", "pairs are")} being retried after transient failures${r.lastError ? ` (${r.lastError})` : ""}`,
    });
  }
  if (r.status === "RUNNING" && r.today.unpricedCalls > 0) {
    out.push({ level: "warn", text: `${countOf(r.today.unpricedCalls, "judge call today has", "judge calls today have")} no price: cost is underestimated` });
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "bad" ? -1 : 1));
}
