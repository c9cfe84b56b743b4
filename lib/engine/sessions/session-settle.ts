// Records what happened to claimed session tasks, through the store's session sink. The one real
// difference between the stores is whether the write is atomic with the ledger: an atomic sink
// stores the verdict in the transaction that removes the task; otherwise the verdict is written to
// the store first (exactly once, by its markers), then the ledger records it and the task leaves
// the queue. Retries, pauses and spend are recorded before the writes; when the store stops
// answering, the remaining tasks wait for a later pass.
import type { EngineCtx } from "../engine-context";
import type { PairWrite } from "../outcomes";
import type { StoredAssessment } from "../ports";
import type { Pair } from "../run-scorers";
import { Recorder } from "../store";
import { dropTask, markAttempted, releaseTasks } from "../tasks";
import type { RemoteSessionSink, SessionPorts, SessionScore } from "./ports";
import type { SessionTaskRow } from "./session-tasks";

export type SessionOutcome =
  | { t: SessionTaskRow; pair?: Pair; drop: "trace_deleted" | "scorer_deleted" }
  | { t: SessionTaskRow; pair: Pair; already: true }
  | { t: SessionTaskRow; pair: Pair; write: PairWrite; score: SessionScore };

type Written = Extract<PairWrite, { type: "assessment" }>;
type ToWrite = { t: SessionTaskRow; pair: Pair; write: Written; score: SessionScore };

/** Records the outcomes that write nothing to the store (drops, repeats, retries, pauses); returns the verdicts left to write. */
function recordOthers(rec: Recorder, outcomes: readonly SessionOutcome[], now: number, keep: (o: ToWrite) => void): void {
  for (const o of outcomes) {
    if ("drop" in o) dropTask(rec, o.t, o.pair, o.drop);
    else if ("already" in o) {
      if (rec.completeTask(o.t.task_id)) rec.skip(o.pair, o.t.job_id, "already_scored");
    } else if (o.write.type === "assessment") {
      o.write.row.createTime = now;
      keep(o as ToWrite);
    } else if (o.write.type === "retry") rec.retryTask(o.t.task_id, o.pair, o.t.job_id, o.write);
    else {
      rec.pause(o.pair, o.write.reason);
      rec.releaseTask(o.t.task_id, o.write.reason);
    }
  }
}

/** Records a batch of session outcomes; returns how many verdicts were stored. */
export async function settleSessions(e: EngineCtx, ports: SessionPorts, outcomes: readonly SessionOutcome[]): Promise<number> {
  const { sink } = ports;
  const db = e.ctx.db.$client;
  const now = e.ctx.now();
  const rec = new Recorder(e.ctx.db, now, e.workerId, e.store.sink);
  if (sink.atomic) {
    db.transaction(() => {
      recordOthers(rec, outcomes, now, (o) => {
        // Removing the task first is the guard: if this worker lost it, someone else records it.
        if (!rec.completeTask(o.t.task_id)) return;
        if (!sink.insert(o.write.row, o.score)) return rec.skip(o.pair, o.t.job_id, "already_scored");
        rec.written(o.pair, o.t.job_id, o.write.stage, o.write.reason);
        if (o.write.usage) rec.usage(o.pair, o.write.usage);
      });
      rec.flush();
    }).immediate();
    return rec.assessmentsWritten;
  }
  const writes: ToWrite[] = [];
  db.transaction(() => {
    recordOthers(rec, outcomes, now, (o) => {
      writes.push(o);
      // The judge was paid whether or not the store takes the write: spend counts now.
      if (o.write.usage) rec.usage(o.pair, o.write.usage);
    });
    rec.flush();
  }).immediate();
  return writeRemote(e, sink, writes);
}

async function writeRemote(e: EngineCtx, sink: RemoteSessionSink, writes: readonly ToWrite[]): Promise<number> {
  const done: { o: ToWrite; assessment: StoredAssessment | null; reason: string }[] = [];
  let down: string | null = null;
  for (const o of writes) {
    const r = await sink.write(o.write.row, o.score, o.t.write_attempted === 1, () => markAttempted(e, o.t));
    if (r.status === "written") done.push({ o, assessment: r.assessment, reason: r.found ? "found_on_trace" : o.write.reason });
    else if (r.status === "trace_gone") done.push({ o, assessment: null, reason: "trace_deleted" });
    else if (r.status === "rejected") {
      e.log(`the store refused the session assessment of ${o.t.scorer_name} on ${o.t.session_id}: ${r.error}`);
      done.push({ o, assessment: null, reason: "rejected_by_mlflow" });
    } else {
      down = r.error;
      break;
    }
  }
  const rec = new Recorder(e.ctx.db, e.ctx.now(), e.workerId, e.store.sink);
  if (done.length) {
    e.ctx.db.$client
      .transaction(() => {
        for (const { o, assessment, reason } of done) {
          // Removing the task is the guard: if this worker lost it, the one holding it records it.
          if (!rec.completeTask(o.t.task_id)) continue;
          if (!assessment) rec.skip(o.pair, o.t.job_id, reason);
          else if (!sink.record(o.write.row, o.score, assessment)) rec.skip(o.pair, o.t.job_id, "already_scored");
          else rec.written(o.pair, o.t.job_id, assessment.error ? "failed" : o.write.stage, reason);
        }
        rec.flush();
      })
      .immediate();
  }
  if (down !== null) {
    const finished = new Set(done.map((d) => d.o.t.task_id));
    releaseTasks(
      e,
      writes.filter((x) => !finished.has(x.t.task_id)).map((x) => x.t),
      e.ctx.now() + e.policy.baseMs,
      down,
    );
    e.log(`the store is unreachable while writing session assessments: ${down}`);
  }
  return rec.assessmentsWritten;
}
