// The step online scoring and jobs share: score a batch's code-scorer pairs now, in bulk (on the
// scoring thread when there is one), and record every pair in the caller's transaction: an
// assessment, a durable retry, a paused scorer's pending task, or a queued judge task.
import type { TraceData } from "@/lib/mlflow/types";
import { scoreItem } from "./code-scorer";
import type { EngineCtx } from "./engine-context";
import type { PairWrite } from "./outcomes";
import type { Pair } from "./run-scorers";
import type { Recorder } from "./store";

export interface BatchScoring {
  /** Code pairs with the write that records their attempt. */
  scored: { pair: Pair; write: PairWrite }[];
  judges: Pair[];
  /** Pairs whose trace vanished (deleted) before it could be scored. */
  gone: Pair[];
}

/**
 * Scores the code pairs (no database writes here, so a crash before the commit loses nothing).
 * Judges are only sorted out: they become tasks. `preloaded` may hold traces already loaded.
 */
export async function scoreBatch(
  e: EngineCtx,
  pairs: readonly Pair[],
  exists: (traceId: string) => boolean,
  jobId: string | null,
  preloaded?: ReadonlyMap<string, TraceData>,
): Promise<BatchScoring> {
  const code: Pair[] = [];
  const judges: Pair[] = [];
  const gone: Pair[] = [];
  for (const p of pairs) (!exists(p.trace.traceId) ? gone : p.scorer.kind === "judge" ? judges : code).push(p);
  const reply = code.length ? await e.codeScorer.score({ items: code.map((p) => scoreItem(p, 0)), jobId }, preloaded) : [];
  const scored: BatchScoring["scored"] = [];
  code.forEach((pair, k) => {
    const write = reply[k];
    if (write) scored.push({ pair, write });
    else gone.push(pair);
  });
  return { scored, judges, gone };
}

/** Records a first attempt's outcome for a pair that is not (yet) a task. */
export function recordFirstAttempt(rec: Recorder, pair: Pair, w: PairWrite, jobId: string | null, now: number): void {
  const kind = pair.scorer.kind === "judge" ? "judge" : "code";
  if (w.type === "assessment") {
    w.row.createTime = now; // stored now: the time the assessment became visible
    rec.assessment(pair, w.row, w.stage, w.reason, jobId, w.usage);
  } else if (w.type === "retry") {
    if (rec.queueTask(pair, { kind, jobId, attempts: w.attempts, nextAttemptAt: w.nextAttemptAt, lastError: w.lastError })) rec.retried(pair, jobId, w.reason);
  } else {
    rec.pause(pair, w.reason);
    rec.queueTask(pair, { kind, jobId, attempts: 0, nextAttemptAt: now, lastError: w.reason });
  }
}

/** Queues a pair for the runner, as a first attempt. */
export function queuePair(rec: Recorder, pair: Pair, jobId: string | null, now: number): void {
  rec.queueTask(pair, { kind: pair.scorer.kind === "judge" ? "judge" : "code", jobId, attempts: 0, nextAttemptAt: now, lastError: null });
}

/** Records a whole batch: code outcomes, queued judges, vanished traces. */
export function recordBatch(rec: Recorder, b: BatchScoring, jobId: string | null, now: number, keep: (p: Pair) => boolean = () => true): void {
  for (const s of b.scored) if (keep(s.pair)) recordFirstAttempt(rec, s.pair, s.write, jobId, now);
  for (const p of b.judges) if (keep(p)) rec.queueTask(p, { kind: "judge", jobId, attempts: 0, nextAttemptAt: now, lastError: null });
  for (const p of b.gone) if (keep(p)) rec.skip(p, jobId, "trace_deleted");
}

/** A started promise nobody awaits yet must not crash the process if it fails; awaiting it still throws. */
export function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export interface RunLimits {
  /** Most batches in one call. */
  maxBatches: number;
  /** Stop starting batches after this long (ms). */
  budgetMs: number;
}

/**
 * Two batches in flight: while one is being scored (on the scoring thread), the previous one is
 * committed here. prepare() claims and starts a batch (null: nothing left); commit() awaits its
 * scoring and stores it. A prepared batch is always committed or abandoned to its lease.
 */
export async function pipeline<P>(
  limits: RunLimits,
  prepare: () => Promise<P | null>,
  commit: (p: P) => Promise<void>,
): Promise<{ batches: number; exhausted: boolean }> {
  const t0 = performance.now();
  let batches = 0;
  let cur = await prepare();
  let exhausted = cur === null;
  while (cur !== null) {
    batches++;
    const more = batches < limits.maxBatches && performance.now() - t0 < limits.budgetMs;
    const next = more ? await prepare() : null;
    if (more && next === null) exhausted = true;
    await commit(cur);
    cur = next;
  }
  return { batches, exhausted };
}
