import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { utcDay } from "../cost";
import { onlineBacklog } from "@/lib/metrics/online-backlog";
import { requireEngineScorer } from "./runtime-lookup";
import { runtimeStatus, type RuntimeStatus } from "./runtime-status";

export const GetScorerRuntimeInput = z.object({ experimentId: experimentIdString, scorerName: z.string().min(1) });
export type GetScorerRuntimeInput = z.input<typeof GetScorerRuntimeInput>;

export interface ScorerRuntime {
  experimentId: string;
  scorerName: string;
  scorerId: string;
  version: number;
  kind: "code" | "judge" | null;
  status: RuntimeStatus;
  /** Why the scorer is not RUNNING, in words an operator can act on; null when it is. */
  reason: string | null;
  sampleRate: number;
  filterString: string | null;
  pausedReason: string | null;
  accountPausedReason: string | null;
  accountPausedAt: number | null;
  dailyBudgetUsd: number | null;
  budgetResetsAt: number | null;
  today: { day: string; calls: number; promptTokens: number; completionTokens: number; costUsd: number; unpricedCalls: number };
  /** Pairs waiting in the queue: online and for jobs; `retrying` of them failed transiently before. */
  pending: { online: number; jobs: number; retrying: number };
  lastError: string | null;
  /** Online scoring's position in the experiment: traces completed and not yet taken, and the oldest's age. */
  lag: { backlogTraces: number; oldestWaitingMs: number | null; checkpoint: { timestampMs: number; traceId: string } | null };
}

/** Everything the dashboard shows about a scorer's engine side: status and why, spend, queue, lag. */
export function getScorerRuntime({ ctx, input }: VerbArgs<GetScorerRuntimeInput>): ScorerRuntime {
  const i = GetScorerRuntimeInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const s = requireEngineScorer(ctx.db, i.experimentId, i.scorerName);
  const db = ctx.db.$client;
  const now = ctx.now();
  const day = utcDay(now);
  const usage = db
    .prepare(
      `SELECT COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion,
              COALESCE(SUM(cost_usd), 0) AS cost, COALESCE(SUM(unpriced_calls), 0) AS unpriced
       FROM engine_usage WHERE experiment_id = ? AND scorer_name = ? AND day = ?`,
    )
    .get(i.experimentId, s.name, day) as { calls: number; prompt: number; completion: number; cost: number; unpriced: number };
  const runtime = db.prepare("SELECT account_paused_at FROM engine_scorer_runtime WHERE scorer_id = ?").get(s.scorerId) as
    { account_paused_at: number | null } | undefined;
  const queue = db
    .prepare(
      `SELECT SUM(job_id IS NULL) AS online, SUM(job_id IS NOT NULL) AS jobs, SUM(attempts > 0) AS retrying,
         (SELECT last_error FROM engine_tasks WHERE scorer_id = ? AND last_error IS NOT NULL ORDER BY task_id DESC LIMIT 1) AS last_error
       FROM engine_tasks WHERE scorer_id = ?`,
    )
    .get(s.scorerId, s.scorerId) as { online: number | null; jobs: number | null; retrying: number | null; last_error: string | null };
  const backlog = onlineBacklog(db, i.experimentId);
  const cp = db.prepare("SELECT timestamp_ms, trace_id FROM checkpoints WHERE experiment_id = ?").get(i.experimentId) as
    { timestamp_ms: number; trace_id: string } | undefined;
  const st = runtimeStatus({
    runnable: s.resolved.runnable,
    notRunnableReason: s.resolved.runnable ? undefined : s.resolved.reason,
    sampleRate: s.sampleRate,
    pausedReason: s.pausedReason,
    accountPausedReason: s.accountPausedReason,
    dailyBudgetUsd: s.dailyBudgetUsd,
    spentTodayUsd: usage.cost,
    now,
  });
  return {
    experimentId: String(i.experimentId),
    scorerName: s.name,
    scorerId: s.scorerId,
    version: s.version,
    kind: s.kind,
    status: st.status,
    reason: st.reason,
    sampleRate: s.sampleRate,
    filterString: s.filterString,
    pausedReason: s.pausedReason,
    accountPausedReason: s.accountPausedReason,
    accountPausedAt: runtime?.account_paused_at ?? null,
    dailyBudgetUsd: s.dailyBudgetUsd,
    budgetResetsAt: st.budgetResetsAt,
    today: { day, calls: usage.calls, promptTokens: usage.prompt, completionTokens: usage.completion, costUsd: usage.cost, unpricedCalls: usage.unpriced },
    pending: { online: queue.online ?? 0, jobs: queue.jobs ?? 0, retrying: queue.retrying ?? 0 },
    lastError: queue.last_error,
    lag: {
      backlogTraces: backlog.traces,
      oldestWaitingMs: backlog.oldestAt === null ? null : Math.max(0, now - backlog.oldestAt),
      checkpoint: cp ? { timestampMs: cp.timestamp_ms, traceId: cp.trace_id } : null,
    },
  };
}
