// Runs assess and backfill jobs: a worker leases the oldest job still scanning, and scores it
// batch by batch. Each batch's results and the job's cursor move in ONE transaction that also
// checks the lease and the status, so a crashed worker's job is taken over where it stopped and
// a cancelled job stops at its next commit. A scanned job succeeds once its queue is empty.
import type Database from "better-sqlite3";
import type { Db } from "@/db/client";
import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { InvalidStateError, isVigilError } from "@/lib/core";
import type { TraceData } from "@/lib/mlflow/types";
import { decideTrace, needsFilterData, traceMatcher } from "../decide";
import type { EngineCtx } from "../engine-context";
import type { Pair } from "../run-scorers";
import { pipeline, recordBatch, scoreBatch, started, type BatchScoring, type RunLimits } from "../score-batch";
import { blockOf, scorerVersion, spentToday, type EngineScorer } from "../scorer-set";
import { pairKey, Recorder, scoredPairs } from "../store";
import { loadTraceBatch } from "../trace-batch";
import { parseParams, type JobParams, type JobRow } from "./job-params";
import { nextTraces, type SelectedTrace } from "./job-selection";

class LostJob extends Error {}

/** Marks scanned jobs whose queued pairs are all done as SUCCEEDED (set-based, any worker). */
export function finishDrainedJobs(db: Database.Database, now: number): number {
  return db
    .prepare(
      `UPDATE jobs SET status = 'SUCCEEDED', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE status = 'RUNNING' AND scan_done = 1 AND NOT EXISTS (SELECT 1 FROM engine_tasks t WHERE t.job_id = jobs.job_id)
         AND NOT EXISTS (SELECT 1 FROM remote_pairs p WHERE p.job_id = jobs.job_id)`,
    )
    .run(now).changes;
}

/**
 * Leases the oldest job still scanning, of Vigil's own experiments (`local`) or of experiments
 * linked to a remote MLflow (`remote`, lib/remote/job-step.ts): each has its own scanner.
 */
export function claimJob(e: EngineCtx, scope: "local" | "remote"): JobRow | undefined {
  const now = e.ctx.now();
  const r = e.ctx.db.$client
    .prepare(
      `UPDATE jobs SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?, heartbeat_at = ?, started_at = COALESCE(started_at, ?)
       WHERE job_id = (SELECT job_id FROM jobs WHERE kind IN ('assess', 'backfill') AND status IN ('QUEUED', 'RUNNING') AND scan_done = 0
                        AND experiment_id ${scope === "local" ? "NOT IN" : "IN"} (SELECT experiment_id FROM remote_experiments)
                        AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?) ORDER BY created_at, job_id LIMIT 1)
       RETURNING job_id`,
    )
    .get(e.workerId, now + e.leaseMs, now, now, e.workerId, now) as { job_id: string } | undefined;
  return r ? e.ctx.db.select().from(jobs).where(eq(jobs.jobId, r.job_id)).get() : undefined;
}

/** The job's pinned scorer versions; a version deleted while the job runs fails the job. */
export function pinnedScorers(db: Db, p: JobParams): EngineScorer[] {
  return p.scorers.map((s): EngineScorer => {
    const v = scorerVersion(db, s.scorerId, s.version);
    if (!v) throw new InvalidStateError(`Scorer '${s.name}' version ${s.version} was deleted while the job ran.`);
    return v;
  });
}

/** The job's scorers for one trace: all of them (assess), or those online sampling picks (backfill). */
export function jobScorersFor(kind: JobRow["kind"], p: JobParams, pinned: readonly EngineScorer[], traceId: string, trace: TraceData | undefined): EngineScorer[] {
  if (kind === "assess") return [...pinned];
  const byName = new Map(pinned.map((s) => [s.name, s]));
  const sampling = (p.sampling ?? []).map((s) => ({ ...s, block: null }));
  return decideTrace(traceId, sampling, traceMatcher(trace)).filter((d) => d.sampled && byName.has(d.candidate.name)).map((d) => byName.get(d.candidate.name)!);
}

/** The pairs of one batch: to run now, to queue behind a pause or a spent budget, already scored. */
function pairsOf(e: EngineCtx, job: JobRow, p: JobParams, batch: SelectedTrace[], traces: Map<string, TraceData>) {
  const db = e.ctx.db;
  const spent = spentToday(db, job.experimentId, e.ctx.now());
  const pinned = pinnedScorers(db, p);
  const already = scoredPairs(db.$client, batch.map((t) => t.traceId));
  const run: Pair[] = [];
  const held: Pair[] = [];
  const repeats: Pair[] = [];
  for (const t of batch) {
    for (const scorer of jobScorersFor(job.kind, p, pinned, t.traceId, traces.get(t.traceId))) {
      const name = scorer.name;
      const pair: Pair = { trace: { traceId: t.traceId, experimentId: job.experimentId, timeMs: t.requestTime }, scorer };
      if (already.has(pairKey(t.traceId, scorer.scorerId, scorer.version))) repeats.push(pair);
      else if (blockOf(scorer, spent.get(name) ?? 0, false)) held.push(pair);
      else run.push(pair);
    }
  }
  return { run, held, repeats };
}

interface Prepared {
  batch: SelectedTrace[];
  /** The cursor before and after this batch: the commit moves it from one to the other, or fails. */
  from: { ts: number | null; id: string | null };
  held: Pair[];
  repeats: Pair[];
  runCount: number;
  scoring: Promise<BatchScoring>;
}

/** Selects the next batch after `from`, decides its pairs and starts scoring them. */
function prepare(e: EngineCtx, job: JobRow, p: JobParams, from: Prepared["from"]): Prepared | null {
  const db = e.ctx.db.$client;
  const batch = nextTraces(e.ctx.db, { ...job, cursorTs: from.ts, cursorTraceId: from.id }, p, e.batchSize);
  if (batch.length === 0) return null;
  const ids = batch.map((t) => t.traceId);
  const needFilter = job.kind === "backfill" && needsFilterData((p.sampling ?? []).map((s) => ({ ...s, block: null })));
  const traces = needFilter ? loadTraceBatch(db, ids) : new Map<string, TraceData>();
  const { run, held, repeats } = pairsOf(e, job, p, batch, traces);
  const existing = new Set(ids);
  const scoring = started(scoreBatch(e, run, (id) => existing.has(id), job.jobId, traces));
  return { batch, from, held, repeats, runCount: run.length, scoring };
}

async function commitBatch(e: EngineCtx, job: JobRow, b: Prepared): Promise<void> {
  const scoring = await b.scoring;
  const sqlite = e.ctx.db.$client;
  const now = e.ctx.now();
  const last = b.batch[b.batch.length - 1]!;
  const rec = new Recorder(e.ctx.db, now, e.workerId);
  const advance = sqlite.prepare(
    `UPDATE jobs SET cursor_ts = ?, cursor_trace_id = ?, traces_scanned = traces_scanned + ?, lease_expires_at = ?, heartbeat_at = ?
     WHERE job_id = ? AND lease_owner = ? AND status = 'RUNNING' AND cursor_ts IS ? AND cursor_trace_id IS ?`,
  );
  sqlite.transaction(() => {
    const moved = advance.run(last.requestTime, last.traceId, b.batch.length, now + e.leaseMs, now, job.jobId, e.workerId, b.from.ts, b.from.id);
    if (moved.changes !== 1) throw new LostJob(); // cancelled, or taken over: roll back, record nothing
    if (job.kind === "backfill") for (let k = 0; k < b.runCount + b.held.length + b.repeats.length; k++) rec.jobPair(job.jobId);
    for (const pair of b.repeats) rec.skip(pair, job.jobId, "already_scored");
    for (const pair of b.held) rec.queueTask(pair, { kind: pair.scorer.kind ?? "code", jobId: job.jobId, attempts: 0, nextAttemptAt: now, lastError: null });
    recordBatch(rec, scoring, job.jobId, now);
    rec.flush();
  }).immediate();
}

/** Scans batches of a leased job, two in flight, until it is scanned or the limits are reached. */
async function scanRun(e: EngineCtx, job: JobRow, limits: RunLimits): Promise<void> {
  const p = parseParams(job);
  let cursor: Prepared["from"] = { ts: job.cursorTs, id: job.cursorTraceId };
  const r = await pipeline(
    limits,
    () => {
      const b = prepare(e, job, p, cursor);
      if (b) cursor = { ts: b.batch[b.batch.length - 1]!.requestTime, id: b.batch[b.batch.length - 1]!.traceId };
      return b;
    },
    (b) => commitBatch(e, job, b),
  );
  if (!r.exhausted) return;
  const done = e.ctx.db.$client
    .prepare(
      `UPDATE jobs SET scan_done = 1, total = CASE kind WHEN 'assess' THEN traces_scanned * ? ELSE total END,
         lease_owner = NULL, lease_expires_at = NULL
       WHERE job_id = ? AND lease_owner = ? AND status = 'RUNNING' AND cursor_ts IS ? AND cursor_trace_id IS ?`,
    )
    .run(p.scorers.length, job.jobId, e.workerId, cursor.ts, cursor.id);
  if (done.changes) finishDrainedJobs(e.ctx.db.$client, e.ctx.now());
}

/** Job batches if a job needs scanning; true when it did work. */
export async function jobStep(e: EngineCtx, limits: RunLimits = { maxBatches: 1, budgetMs: Infinity }): Promise<boolean> {
  finishDrainedJobs(e.ctx.db.$client, e.ctx.now());
  const job = claimJob(e, "local");
  if (!job) return false;
  try {
    await scanRun(e, job, limits);
  } catch (err) {
    if (err instanceof LostJob) return true;
    if (!isVigilError(err)) throw err;
    // The job itself cannot go on (say its experiment was deleted): say why and stop.
    e.ctx.db.update(jobs).set({ status: "FAILED", error: err.message, finishedAt: e.ctx.now(), leaseOwner: null, leaseExpiresAt: null }).where(eq(jobs.jobId, job.jobId)).run();
    e.log(`job ${job.jobId} failed: ${err.message}`);
  }
  return true;
}
