// The queue of pairs waiting to be scored (judges, and code scorers being retried): claiming due
// tasks under a lease, and recording an attempt's outcome with the task's removal or its retry.
import type Database from "better-sqlite3";
import type { EngineCtx } from "./engine-context";
import { utcDay } from "./cost";
import { outcomeWrite, type PairWrite } from "./outcomes";
import type { Pair, PairRun } from "./run-scorers";
import { scorerVersion, type EngineScorer } from "./scorer-set";
import { claimLeased } from "@/db/lease-claim";
import { cachedStatement } from "@/db/cached-statement";
import type { Recorder } from "./store";
import { HELD_ALL_SQL, HELD_ONLINE_SQL, taskClaim, type TaskRow } from "./queue";

export type { TaskRow } from "./queue";

export const toMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Scorers whose queued work must wait: paused after an account failure, out of budget today,
 * or (for online work only) paused by an operator. Small lists, computed per claim.
 */
export function heldScorers(db: Database.Database, now: number): { all: string[]; online: string[] } {
  const all = db.prepare(HELD_ALL_SQL).all(utcDay(now)) as { scorer_id: string }[];
  const online = db.prepare(HELD_ONLINE_SQL).all() as { scorer_id: string }[];
  return { all: all.map((r) => r.scorer_id), online: online.map((r) => r.scorer_id) };
}

/** Leases up to `limit` due tasks of one kind, online before jobs, oldest due first. */
export function claimTasks(db: Database.Database, e: EngineCtx, kind: TaskRow["kind"], limit: number, leaseMs: number): TaskRow[] {
  if (limit <= 0) return [];
  const now = e.ctx.now();
  const held = heldScorers(db, now);
  const rows = claimLeased(db, taskClaim("sqlite"), {
    owner: e.workerId,
    now,
    leaseMs,
    limit,
    params: { kind, heldAll: JSON.stringify(held.all), heldOnline: JSON.stringify(held.online) },
  }) as TaskRow[];
  return rows.sort((a, b) => a.task_id - b.task_id);
}

/** The pair a task scores, with the exact scorer version it was sampled for (undefined if deleted). */
export function taskPair(e: EngineCtx, t: TaskRow, cache: Map<string, EngineScorer | undefined>): Pair | undefined {
  const key = `${t.scorer_id}:${t.scorer_version}`;
  if (!cache.has(key)) cache.set(key, scorerVersion(e.ctx.db, t.scorer_id, t.scorer_version));
  const scorer = cache.get(key);
  return scorer ? { trace: { traceId: t.trace_id, experimentId: t.experiment_id, timeMs: t.trace_time_ms }, scorer } : undefined;
}

/** Records one attempt of a claimed task. Call inside a transaction. */
export function recordTaskWrite(rec: Recorder, t: TaskRow, pair: Pair, w: PairWrite, now: number): void {
  if (w.type === "assessment") {
    // Removing the task first is the guard: if this worker lost it, someone else records it.
    if (!rec.completeTask(t.task_id)) return;
    w.row.createTime = now;
    rec.assessment(pair, w.row, w.stage, w.reason, t.job_id, w.usage);
  } else if (w.type === "retry") {
    rec.retryTask(t.task_id, pair, t.job_id, w);
  } else {
    rec.pause(pair, w.reason);
    rec.releaseTask(t.task_id, w.reason);
  }
}

/** The write for a judge task's attempt (judges run on the engine's thread). */
export function taskOutcome(e: EngineCtx, t: TaskRow, run: PairRun, now: number): PairWrite {
  return outcomeWrite(run, {
    now,
    priorAttempts: t.attempts,
    jobId: t.job_id,
    policy: e.policy,
    prices: e.prices,
    random: e.random,
    newAssessmentId: e.newAssessmentId,
  });
}

/** A task whose trace or scorer version no longer exists: nothing can be assessed; it leaves the queue. */
export function dropTask(rec: Recorder, t: TaskRow, pair: Pair | undefined, reason: "trace_deleted" | "scorer_deleted"): void {
  if (!rec.completeTask(t.task_id)) return;
  rec.skip(pair ?? taskRef(t), t.job_id, reason);
}

/** Gives claimed tasks back for a later attempt (the store did not answer); attempts are not counted. */
export function releaseTasks(e: EngineCtx, tasks: readonly TaskRow[], nextAttemptAt: number, lastError: string | null): void {
  if (tasks.length === 0) return;
  const db = e.ctx.db.$client;
  const st = db.prepare(
    `UPDATE engine_tasks SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = @next, last_error = COALESCE(@error, last_error)
     WHERE task_id = @id AND lease_owner = @owner`,
  );
  db.transaction(() => {
    for (const t of tasks) st.run({ next: nextAttemptAt, error: lastError, id: t.task_id, owner: e.workerId });
  }).immediate();
}

/** Durable before a create leaves for a non-atomic sink: after a crash, the next attempt looks first. */
export function markAttempted(e: EngineCtx, t: Pick<TaskRow, "task_id" | "write_attempted">): void {
  cachedStatement(e.ctx.db.$client, "UPDATE engine_tasks SET write_attempted = 1 WHERE task_id = ?").run(t.task_id);
  t.write_attempted = 1;
}

/** The pair a task stands for, for counting, when its scorer version is gone. */
export function taskRef(t: TaskRow): Pair {
  return {
    trace: { traceId: t.trace_id, experimentId: t.experiment_id, timeMs: t.trace_time_ms },
    scorer: { name: t.scorer_name, scorerId: t.scorer_id, version: t.scorer_version, experimentId: t.experiment_id, shadow: false } as EngineScorer,
  };
}

/** Tasks whose scorer turned out to be a judge go to the judge pool. */
export function requeueAsJudges(e: EngineCtx, tasks: readonly TaskRow[]): void {
  const st = e.ctx.db.$client.prepare(
    "UPDATE engine_tasks SET kind = 'judge', lease_owner = NULL, lease_expires_at = NULL WHERE task_id = ? AND lease_owner = ?",
  );
  for (const t of tasks) st.run(t.task_id, e.workerId);
}
