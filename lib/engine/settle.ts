// Records what happened to claimed tasks, through the store's assessment sink. An atomic sink
// stores each assessment in the transaction that takes its task off the queue. Otherwise the
// assessment is written to the store first (exactly once, by its markers), then the ledger
// records it and the task leaves the queue; retries, pauses and spend are recorded before the
// writes, and when the store stops answering the remaining tasks wait for a later pass.
import type { EngineCtx } from "./engine-context";
import type { PairWrite } from "./outcomes";
import type { PairRef, StoredAssessment } from "./ports";
import type { Pair } from "./run-scorers";
import { Recorder } from "./store";
import { dropTask, markAttempted, recordTaskWrite, releaseTasks, taskRef, type TaskRow } from "./tasks";

export type Settled =
  | { t: TaskRow; pair?: Pair; drop: "trace_deleted" | "scorer_deleted" }
  /** Already on the store's trace (an earlier write whose answer was lost). */
  | { t: TaskRow; pair: Pair; found: StoredAssessment }
  | { t: TaskRow; pair: Pair; write: PairWrite };

type Written = Extract<PairWrite, { type: "assessment" }>;

interface Done {
  t: TaskRow;
  pair: Pair;
  assessment: StoredAssessment | null;
  stage: "scored" | "failed" | "skipped";
  reason: string;
}

export const pairRef = (t: TaskRow): PairRef => ({
  traceId: t.trace_id,
  experimentId: t.experiment_id,
  traceTimeMs: t.trace_time_ms,
  scorerId: t.scorer_id,
  scorerName: t.scorer_name,
  scorerVersion: t.scorer_version,
  jobId: t.job_id,
});

export async function settle(e: EngineCtx, items: readonly Settled[]): Promise<void> {
  const { sink } = e.store;
  const db = e.ctx.db.$client;
  const now = e.ctx.now();
  if (sink.atomic) {
    const rec = new Recorder(e.ctx.db, now, e.workerId, sink, e.event);
    db.transaction(() => {
      for (const x of items) {
        if ("drop" in x) dropTask(rec, x.t, x.pair, x.drop);
        else if ("write" in x) recordTaskWrite(rec, x.t, x.pair, x.write, now);
      }
      rec.flush();
    }).immediate();
    return;
  }

  // `attempted`: a create of this pair may have landed in an earlier pass (look on the trace first).
  const writes: { t: TaskRow; pair: Pair; w: Written; attempted: boolean }[] = [];
  const done: Done[] = [];
  const rec = new Recorder(e.ctx.db, now, e.workerId, sink, e.event);
  db.transaction(() => {
    for (const x of items) {
      if ("drop" in x) dropTask(rec, x.t, x.pair, x.drop);
      else if ("found" in x) done.push({ t: x.t, pair: x.pair, assessment: x.found, stage: x.found.error ? "failed" : "scored", reason: "found_on_trace" });
      else if (x.write.type === "assessment") {
        x.write.row.createTime = now;
        writes.push({ t: x.t, pair: x.pair, w: x.write, attempted: x.t.write_attempted === 1 });
        // Durable before any create leaves, for the whole batch in this one commit (not a commit
        // per request). A task whose create is never sent (the store went down first) keeps the
        // mark: its next attempt looks on the trace before writing, which is only a read more.
        markAttempted(e, x.t);
        // The judge was paid whether or not the store takes the write: spend counts now.
        if (x.write.usage) rec.usage(x.pair, x.write.usage);
      } else recordTaskWrite(rec, x.t, x.pair, x.write, now);
    }
    rec.flush();
  }).immediate();

  // A few writes at a time; once the store stops answering, the rest wait for a later pass.
  let down: string | null = null;
  let next = 0;
  const writer = async () => {
    while (next < writes.length && down === null) {
      const { t, pair, w, attempted } = writes[next++]!;
      const r = await sink.write(pairRef(t), w.row, attempted, () => {}); // marked above
      if (r.status === "written") done.push({ t, pair, assessment: r.assessment, stage: w.stage, reason: w.reason });
      else if (r.status === "trace_gone") done.push({ t, pair, assessment: null, stage: "skipped", reason: "trace_deleted" });
      else if (r.status === "rejected") {
        e.log(`the store refused the assessment of ${t.scorer_name} on ${t.trace_id}: ${r.error}`);
        done.push({ t, pair, assessment: null, stage: "skipped", reason: "rejected_by_mlflow" });
      } else down = r.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(sink.concurrency, writes.length) }, writer));

  if (done.length) {
    const after = new Recorder(e.ctx.db, e.ctx.now(), e.workerId, sink, e.event);
    db.transaction(() => {
      const written: { pair: PairRef; assessment: StoredAssessment }[] = [];
      for (const d of done) {
        // Removing the task is the guard: if this worker lost it, the one holding it records it.
        if (!after.completeTask(d.t.task_id)) continue;
        if (d.stage === "skipped" || !d.assessment) after.skip(d.pair ?? taskRef(d.t), d.t.job_id, d.reason);
        else {
          written.push({ pair: pairRef(d.t), assessment: d.assessment });
          after.written(d.pair, d.t.job_id, d.stage, d.reason);
        }
      }
      sink.record(written);
      after.flush();
    }).immediate();
  }
  if (down !== null) {
    const finished = new Set(done.map((d) => d.t.task_id));
    releaseTasks(
      e,
      writes.filter((x) => !finished.has(x.t.task_id)).map((x) => x.t),
      e.ctx.now() + e.policy.baseMs,
      down,
    );
    e.log(`the store is unreachable while writing assessments: ${down}`);
  }
}
