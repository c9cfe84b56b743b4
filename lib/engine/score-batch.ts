// The step online scoring and jobs share: run a batch's code-scorer pairs now, in bulk, and
// record every pair in the caller's transaction: an assessment, a durable retry, a paused
// scorer's pending task, or a queued judge task.
import type { TraceData } from "@/lib/mlflow/types";
import type { EngineCtx } from "./engine-context";
import { outcomeWrite, type PairWrite } from "./outcomes";
import { runCodeBulk, type Pair, type PairRun } from "./run-scorers";
import type { Recorder } from "./store";

export interface BatchRuns {
  runs: PairRun[];
  judges: Pair[];
  /** Pairs whose trace vanished (deleted) before it could be scored. */
  gone: Pair[];
}

/**
 * Runs the code pairs (no database writes here, so a crash before the commit loses nothing).
 * `traces` must hold every code pair's trace that still exists; judges only need `exists`.
 */
export async function runBatch(
  e: EngineCtx,
  pairs: readonly Pair[],
  traces: ReadonlyMap<string, TraceData>,
  exists: (traceId: string) => boolean,
): Promise<BatchRuns> {
  const code: Pair[] = [];
  const judges: Pair[] = [];
  const gone: Pair[] = [];
  for (const p of pairs) {
    if (p.scorer.kind === "judge") (exists(p.trace.traceId) ? judges : gone).push(p);
    else (traces.has(p.trace.traceId) ? code : gone).push(p);
  }
  return { runs: await runCodeBulk(code, traces, e.code), judges, gone };
}

/** Applies one attempt's outcome for a pair that is not (yet) a task. */
export function recordFirstAttempt(e: EngineCtx, rec: Recorder, run: PairRun, jobId: string | null, now: number): PairWrite {
  const w = outcomeWrite(run, { now, priorAttempts: 0, jobId, policy: e.policy, prices: e.prices, random: e.random, newAssessmentId: e.newAssessmentId });
  const kind = run.pair.scorer.kind === "judge" ? "judge" : "code";
  if (w.type === "assessment") {
    rec.assessment(run.pair, w.row, w.stage, w.reason, jobId, w.usage);
  } else if (w.type === "retry") {
    if (rec.queueTask(run.pair, { kind, jobId, attempts: w.attempts, nextAttemptAt: w.nextAttemptAt, lastError: w.lastError })) {
      rec.retried(run.pair, jobId, w.reason);
    }
  } else {
    rec.pause(run.pair, w.reason);
    rec.queueTask(run.pair, { kind, jobId, attempts: 0, nextAttemptAt: now, lastError: w.reason });
  }
  return w;
}

/** Records a whole batch: code outcomes, queued judges, vanished traces. */
export function recordBatch(e: EngineCtx, rec: Recorder, b: BatchRuns, jobId: string | null, now: number): void {
  for (const run of b.runs) recordFirstAttempt(e, rec, run, jobId, now);
  for (const p of b.judges) rec.queueTask(p, { kind: "judge", jobId, attempts: 0, nextAttemptAt: now, lastError: null });
  for (const p of b.gone) rec.skip(p, jobId, "trace_deleted");
}
