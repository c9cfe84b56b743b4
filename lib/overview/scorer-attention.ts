// What is wrong with a scorer, in words, so the overview can show it without a click. Pure:
// the status, the health figures and the clock in; a list of problems out, worst first.
import type { ScorerStatus } from "@/lib/monitoring/lifecycle";
import type { ScorerHealth } from "./scorer-health";

export interface AttentionItem {
  level: "bad" | "warn";
  text: string;
}

export interface ScorerFacts {
  status: ScorerStatus;
  runnable: boolean;
  notRunnableReason?: string;
  pausedReason?: string;
}

export const LAG_WARN_MS = 10 * 60_000;
export const ERROR_SHARE_WARN = 0.1;
export const BUDGET_WARN_SHARE = 0.8;

const minutes = (ms: number) => (ms < 3600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3600_000).toFixed(1)} h`);

export function scorerAttention(s: ScorerFacts, h: ScorerHealth): AttentionItem[] {
  const out: AttentionItem[] = [];
  if (!s.runnable) out.push({ level: "bad", text: `Cannot run here: ${s.notRunnableReason ?? "unknown scorer kind"}` });
  if (h.accountPausedReason) out.push({ level: "bad", text: `Judge account refused: ${h.accountPausedReason}` });
  if (s.status === "PAUSED" && !h.accountPausedReason) out.push({ level: "warn", text: `Paused: ${s.pausedReason ?? "no reason given"}` });
  if (h.budgetUsd !== null) {
    if (h.costTodayUsd >= h.budgetUsd) {
      out.push({ level: "bad", text: `Daily budget spent ($${h.costTodayUsd.toFixed(2)} of $${h.budgetUsd.toFixed(2)}): sampling resumes at 00:00 UTC` });
    } else if (h.costTodayUsd >= BUDGET_WARN_SHARE * h.budgetUsd) {
      out.push({ level: "warn", text: `${Math.round((100 * h.costTodayUsd) / h.budgetUsd)}% of today's budget spent` });
    }
  }
  if (h.scores24h > 0 && h.errors24h >= 3 && h.errors24h / h.scores24h >= ERROR_SHARE_WARN) {
    out.push({ level: h.errors24h / h.scores24h >= 0.5 ? "bad" : "warn", text: `${Math.round((100 * h.errors24h) / h.scores24h)}% of scores in 24 h are errors` });
  }
  if (s.status === "STARTED" && h.lagMs !== null && h.lagMs >= LAG_WARN_MS) {
    out.push({ level: "warn", text: `Behind by ${minutes(h.lagMs)} (${h.pendingTasks} queued)` });
  }
  if (s.status === "STARTED" && h.unpricedCallsToday > 0) {
    out.push({ level: "warn", text: `${h.unpricedCallsToday} judge calls today have no price: cost is underestimated` });
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "bad" ? -1 : 1));
}
