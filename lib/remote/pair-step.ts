// Scores queued remote pairs and writes each result onto its trace in MLflow, exactly once.
// Online pairs go before job pairs. A pair row leaves the queue in the transaction that records
// what MLflow accepted (ledger, metric point, funnel or job counters); anything else (MLflow
// down, a transient scorer failure, a paused scorer) leaves it queued with its next attempt time.
import { stmt } from "./stmt";
import { outcomeWrite, type PairWrite } from "@/lib/engine/outcomes";
import { runCodeBulk, runOne, type Pair, type PairRun } from "@/lib/engine/run-scorers";
import { blockOf, scorerVersion, spentToday, type EngineScorer } from "@/lib/engine/scorer-set";
import { Recorder } from "@/lib/engine/store";
import type { TraceData } from "@/lib/mlflow/types";
import type { RemoteCtx } from "./context";
import { feedbackColumns, findOurs } from "./markers";
import { recordScored } from "./ledger";
import { addPoints } from "./points";
import { toAssessmentCreate, writeOnce, type PairRow } from "./write-once";

/** How long a pair held by a pause or a spent budget waits before it is looked at again. */
const HOLD_MS = 30_000;

function claim(rc: RemoteCtx, limit: number): PairRow[] {
  const db = rc.e.ctx.db.$client;
  const now = rc.e.ctx.now();
  return db.transaction(() => {
    // Pairs of a job that was cancelled or failed are dropped, not scored.
    stmt(db, "DELETE FROM remote_pairs WHERE job_id IN (SELECT job_id FROM jobs WHERE status IN ('CANCELLED', 'FAILED'))").run();
    return db
      .prepare(
        `UPDATE remote_pairs SET lease_owner = ?, lease_expires_at = ?
         WHERE pair_id IN (SELECT pair_id FROM remote_pairs WHERE next_attempt_at <= ? AND (lease_owner IS NULL OR lease_expires_at < ?)
                           ORDER BY priority, next_attempt_at, pair_id LIMIT ?)
         RETURNING pair_id, experiment_id, trace_id, trace_time_ms, scorer_id, scorer_name, scorer_version, job_id, attempts, write_attempted`,
      )
      .all(rc.e.workerId, now + rc.e.leaseMs + rc.e.judge.timeoutMs, now, now, limit) as PairRow[];
  }).immediate();
}

function release(rc: RemoteCtx, ids: readonly number[], nextAttemptAt: number, lastError: string | null): void {
  const st = stmt(rc.e.ctx.db.$client, 
    "UPDATE remote_pairs SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = ?, last_error = COALESCE(?, last_error) WHERE pair_id = ? AND lease_owner = ?",
  );
  rc.e.ctx.db.$client.transaction(() => {
    for (const id of ids) st.run(nextAttemptAt, lastError, id, rc.e.workerId);
  }).immediate();
}

async function loadTraces(rc: RemoteCtx, ids: string[]): Promise<Map<string, TraceData>> {
  const out = new Map<string, TraceData>();
  for (let i = 0; i < ids.length; i += 100) for (const t of await rc.backend.batchGetTraces(ids.slice(i, i + 100))) out.set(t.info.trace_id, t);
  return out;
}

/** Runs code pairs in bulk and judge pairs `concurrency` at a time. */
async function runAll(rc: RemoteCtx, pairs: Pair[], traces: Map<string, TraceData>): Promise<PairRun[]> {
  const code = pairs.filter((p) => p.scorer.kind === "code");
  const judges = pairs.filter((p) => p.scorer.kind !== "code");
  const runs = await runCodeBulk(code, traces, rc.e.code);
  let next = 0;
  const worker = async () => {
    while (next < judges.length) {
      const p = judges[next++]!;
      runs.push(await runOne(p, traces.get(p.trace.traceId)!, rc.e.judge));
    }
  };
  await Promise.all(Array.from({ length: Math.min(rc.e.judgeConcurrency, judges.length) }, worker));
  return runs;
}

interface Done {
  row: PairRow;
  pair: Pair;
  assessmentId: string;
  value: string | null;
  error: string | null;
  stage: "scored" | "failed" | "skipped";
  reason: string;
}

/** Records finished pairs: ledger, metric points, funnel or job counters, then off the queue. */
function record(rc: RemoteCtx, done: Done[]): void {
  if (done.length === 0) return;
  const db = rc.e.ctx.db.$client;
  const now = rc.e.ctx.now();
  const rec = new Recorder(rc.e.ctx.db, now, rc.e.workerId, rc.e.store.sink);
  const del = stmt(db, "DELETE FROM remote_pairs WHERE pair_id = ?");
  db.transaction(() => {
    const points = [];
    for (const d of done) {
      del.run(d.row.pair_id);
      if (d.stage === "skipped") {
        rec.count(d.pair, d.row.job_id, "skipped", d.reason);
        continue;
      }
      recordScored(db, {
        traceId: d.row.trace_id,
        scorerId: d.row.scorer_id,
        scorerVersion: d.row.scorer_version,
        experimentId: d.row.experiment_id,
        assessmentId: d.assessmentId,
        name: d.row.scorer_name,
        value: d.value,
        isError: d.error !== null,
        jobId: d.row.job_id,
        at: now,
      });
      rec.count(d.pair, d.row.job_id, d.stage, d.reason);
      points.push({
        assessmentId: d.assessmentId,
        traceId: d.row.trace_id,
        experimentId: d.row.experiment_id,
        scorerName: d.row.scorer_name,
        scorerVersion: d.row.scorer_version,
        traceTimeMs: d.row.trace_time_ms,
        value: d.value,
        error: d.error,
      });
    }
    addPoints(db, points, now);
    rec.flush();
  }).immediate();
}

const pairOf = (row: PairRow, scorer: EngineScorer): Pair => ({ trace: { traceId: row.trace_id, experimentId: row.experiment_id, timeMs: row.trace_time_ms }, scorer });

/** One batch of due pairs; returns how many were claimed (0: nothing due). */
export async function pairStep(rc: RemoteCtx, limit = rc.e.batchSize): Promise<number> {
  const rows = claim(rc, limit);
  if (rows.length === 0) return 0;
  const e = rc.e;
  const now = e.ctx.now();
  const done: Done[] = [];
  const runnable: { row: PairRow; pair: Pair }[] = [];
  const held: number[] = [];
  const spentBy = new Map<number, Map<string, number>>();
  const versions = new Map<string, EngineScorer | undefined>();
  for (const row of rows) {
    const key = `${row.scorer_id}:${row.scorer_version}`;
    if (!versions.has(key)) versions.set(key, scorerVersion(e.ctx.db, row.scorer_id, row.scorer_version));
    const scorer = versions.get(key);
    if (!scorer) {
      done.push({ row, pair: pairOf(row, { name: row.scorer_name, experimentId: row.experiment_id } as EngineScorer), assessmentId: "", value: null, error: null, stage: "skipped", reason: "scorer_deleted" });
      continue;
    }
    let spent = spentBy.get(row.experiment_id);
    if (!spent) spentBy.set(row.experiment_id, (spent = spentToday(e.ctx.db, row.experiment_id, now)));
    if (blockOf(scorer, spent.get(scorer.name) ?? 0, row.job_id === null)) held.push(row.pair_id);
    else runnable.push({ row, pair: pairOf(row, scorer) });
  }
  if (held.length) release(rc, held, now + HOLD_MS, null);

  let traces: Map<string, TraceData>;
  try {
    traces = await loadTraces(rc, [...new Set(runnable.map((r) => r.row.trace_id))]);
  } catch (err) {
    release(rc, runnable.map((r) => r.row.pair_id), now + e.policy.baseMs, err instanceof Error ? err.message : String(err));
    record(rc, done);
    throw err;
  }
  const toRun: { row: PairRow; pair: Pair }[] = [];
  for (const r of runnable) {
    const t = traces.get(r.row.trace_id);
    if (!t) done.push({ ...r, assessmentId: "", value: null, error: null, stage: "skipped", reason: "trace_deleted" });
    else {
      const ours = findOurs(t.info, r.row.scorer_id, r.row.scorer_version);
      if (ours) done.push({ ...r, assessmentId: ours.assessment_id, ...feedbackColumns(ours), stage: ours.feedback?.error ? "failed" : "scored", reason: "found_on_trace" });
      else toRun.push(r);
    }
  }

  const runs = await runAll(rc, toRun.map((r) => r.pair), traces);
  const rowOf = new Map(toRun.map((r) => [r.pair, r.row]));
  const writes: { row: PairRow; pair: Pair; w: Extract<PairWrite, { type: "assessment" }> }[] = [];
  const retry = stmt(e.ctx.db.$client, 
    "UPDATE remote_pairs SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL WHERE pair_id = ? AND lease_owner = ?",
  );
  const rec = new Recorder(e.ctx.db, now, e.workerId, e.store.sink);
  e.ctx.db.$client.transaction(() => {
    for (const run of runs) {
      const row = rowOf.get(run.pair)!;
      const w = outcomeWrite(run, { now, priorAttempts: row.attempts, jobId: row.job_id, policy: e.policy, prices: e.prices, random: e.random, newAssessmentId: e.newAssessmentId });
      if (w.type === "assessment") {
        writes.push({ row, pair: run.pair, w });
        // The judge was paid whether or not MLflow takes the write: spend counts now.
        if (w.usage) rec.usage(run.pair, w.usage);
      }
      else if (w.type === "retry") {
        retry.run(w.attempts, w.nextAttemptAt, w.lastError, row.pair_id, e.workerId);
        rec.count(run.pair, row.job_id, "retried", w.reason);
      } else {
        rec.pause(run.pair, w.reason);
        retry.run(row.attempts, now + HOLD_MS, w.reason, row.pair_id, e.workerId);
      }
    }
    rec.flush();
  }).immediate();

  // Writes, a few at a time; once MLflow stops answering the rest wait for the next pass.
  let down: string | null = null;
  let next = 0;
  const writer = async () => {
    while (next < writes.length && down === null) {
      const { row, pair, w } = writes[next++]!;
      const r = await writeOnce(rc, e.ctx.db.$client, row, toAssessmentCreate(w.row));
      if (r.status === "written") done.push({ row, pair, assessmentId: r.assessment.assessment_id, ...feedbackColumns(r.assessment), stage: w.stage, reason: w.reason }); else if (r.status === "trace_gone") done.push({ row, pair, assessmentId: "", value: null, error: null, stage: "skipped", reason: "trace_deleted" });
      else if (r.status === "rejected") {
        e.log(`MLflow refused the assessment of ${row.scorer_name} on ${row.trace_id}: ${r.error}`);
        done.push({ row, pair, assessmentId: "", value: null, error: null, stage: "skipped", reason: "rejected_by_mlflow" });
      } else down = r.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(rc.writeConcurrency, writes.length) }, writer));
  record(rc, done);
  if (down !== null) {
    const finished = new Set(done.map((d) => d.row.pair_id));
    release(rc, writes.filter((x) => !finished.has(x.row.pair_id)).map((x) => x.row.pair_id), e.ctx.now() + e.policy.baseMs, down);
    e.log(`MLflow unreachable while writing assessments: ${down}`);
  }
  return rows.length;
}
