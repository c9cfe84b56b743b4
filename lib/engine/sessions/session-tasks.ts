// Session tasks in the one queue (engine_tasks, kind 'session'): queued with the session's first
// turn as their trace, claimed under the same lease and the same holds (pauses, budgets) as
// trace tasks, online before jobs.
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { EngineCtx } from "../engine-context";
import type { EngineScorer } from "../scorer-set";
import { claimTasks, type TaskRow } from "../tasks";
import type { TurnRef } from "./ports";

export type SessionTaskRow = TaskRow & { session_id: string };

const insertCache = new WeakMap<Database.Database, Database.Statement>();

/** Queues one session task; false when that scorer version already has one for the session. */
export function queueSessionTask(
  db: Database.Database,
  t: {
    first: TurnRef;
    experimentId: number;
    sessionId: string;
    scorer: Pick<EngineScorer, "scorerId" | "name" | "version" | "kind">;
    jobId: string | null;
    now: number;
  },
): boolean {
  let st = insertCache.get(db);
  if (!st) {
    st = db.prepare(
      `INSERT INTO engine_tasks (trace_id, experiment_id, scorer_id, scorer_name, scorer_version, kind, job_id, priority,
         attempts, next_attempt_at, trace_time_ms, created_at, session_id)
       VALUES (@traceId, @experimentId, @scorerId, @scorerName, @scorerVersion, @kind, @jobId, @priority,
         0, @now, @traceTimeMs, @now, @sessionId) ON CONFLICT DO NOTHING`,
    );
    insertCache.set(db, st);
  }
  const r = st.run({
    traceId: t.first.traceId,
    experimentId: t.experimentId,
    scorerId: t.scorer.scorerId,
    scorerName: t.scorer.name,
    scorerVersion: t.scorer.version,
    kind: t.scorer.kind === "judge" ? "session_judge" : "session",
    jobId: t.jobId,
    priority: t.jobId === null ? 0 : 1,
    now: t.now,
    traceTimeMs: t.first.timeMs,
    sessionId: t.sessionId,
  });
  return r.changes === 1;
}

/** Leases due session tasks of code scorers or of judges (the lease covers the scorer's timeout). */
export function claimSessionTasks(e: EngineCtx, kind: "session" | "session_judge", limit: number): SessionTaskRow[] {
  const timeoutMs = kind === "session_judge" ? e.judge.timeoutMs : e.code.timeoutMs;
  return claimTasks(e.ctx.db.$client, e, kind, limit, e.leaseMs + timeoutMs) as SessionTaskRow[];
}

/** The identity of a set of turns: the same traces give the same key, whatever order they joined in. */
export function turnsKey(refs: readonly TurnRef[]): string {
  const h = createHash("sha256");
  for (const id of refs.map((r) => r.traceId).sort()) h.update(id).update("\n");
  return h.digest("hex");
}
