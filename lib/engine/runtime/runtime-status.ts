// The one runtime status the dashboard shows for a scorer (RUNNING, PAUSED, ...), and why; not
// lib/monitoring's lifecycle status (STARTED, STOPPED, ...). Pure, so the precedence is tested as
// a table: what stops a scorer outranks what merely slows it.
import { nextUtcMidnight } from "../cost";

export const runtimeStatuses = ["NOT_RUNNABLE", "ACCOUNT_PAUSED", "PAUSED", "STOPPED", "BUDGET_EXHAUSTED", "RUNNING"] as const;
export type RuntimeStatus = (typeof runtimeStatuses)[number];

export interface StatusFacts {
  runnable: boolean;
  notRunnableReason?: string;
  sampleRate: number;
  pausedReason: string | null;
  accountPausedReason: string | null;
  dailyBudgetUsd: number | null;
  spentTodayUsd: number;
  now: number;
}

// Judge budgets are often cents: show two significant digits below a cent rather than "$0.00".
const usd = (n: number) => (n === 0 || n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toPrecision(2)}`);

export function runtimeStatus(f: StatusFacts): { status: RuntimeStatus; reason: string | null; budgetResetsAt: number | null } {
  const spent = f.dailyBudgetUsd !== null && f.spentTodayUsd >= f.dailyBudgetUsd;
  const budgetResetsAt = spent ? nextUtcMidnight(f.now) : null;
  if (!f.runnable) return { status: "NOT_RUNNABLE", reason: f.notRunnableReason ?? "Vigil cannot run this scorer.", budgetResetsAt };
  if (f.accountPausedReason) {
    return {
      status: "ACCOUNT_PAUSED",
      reason: `Paused by the engine after an account error: ${f.accountPausedReason} Fix the key or quota, then resume.`,
      budgetResetsAt,
    };
  }
  if (f.pausedReason) return { status: "PAUSED", reason: f.pausedReason, budgetResetsAt };
  if (!(f.sampleRate > 0)) return { status: "STOPPED", reason: null, budgetResetsAt };
  if (spent) {
    return {
      status: "BUDGET_EXHAUSTED",
      reason: `Daily budget of ${usd(f.dailyBudgetUsd!)} spent (${usd(f.spentTodayUsd)} today); sampling resumes at ${new Date(budgetResetsAt!).toISOString()}.`,
      budgetResetsAt,
    };
  }
  return { status: "RUNNING", reason: null, budgetResetsAt };
}
