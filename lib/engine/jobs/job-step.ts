// Runs assess and backfill jobs: a worker leases the oldest job still scanning and reads its
// selection page by page from the store's trace source. Each page's results (an atomic sink) or
// queued pairs (otherwise) and the job's cursor move in ONE transaction that also checks the
// lease and the status, so a crashed worker's job is taken over where it stopped and a cancelled
// job stops at its next commit. A scanned job succeeds once its queued pairs are all done.
import type Database from "better-sqlite3";
import type { Db } from "@/db/client";
import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { InvalidStateError, isVigilError, UpstreamUnavailableError } from "@/lib/core";
import type { TraceData } from "@/lib/mlflow/types";
import { decideTrace, needsFilterData, traceMatcher } from "../decide";
import { claimLeased } from "@/db/lease-claim";
import { JOB_CLAIM } from "../queue";
import type { EngineCtx, EngineEventSink } from "../engine-context";
import { pairKey, type JobCursor, type JobPage } from "../ports";
import type { Pair } from "../run-scorers";
import { pipeline, queuePair, recordBatch, scoreBatch, started, type BatchScoring, type RunLimits } from "../score-batch";
import { blockOf, scorerVersion, spentToday, type EngineScorer } from "../scorer-set";
import { Recorder } from "../store";
import { queueSessionJobPage, sessionJobPage, type SessionJobPage } from "../sessions/session-jobs";
import { parseParams, type JobParams, type JobRow } from "./job-params";

class LostJob extends Error {}

/** Trace-level scorers of a job: an assess job's total is traces × these, plus the sessions it meets. */
const traceScorers = (p: JobParams) => p.scorers.length - p.scorers.filter((s) => s.session).length;

/** Marks scanned jobs whose queued pairs are all done as SUCCEEDED (set-based, any worker). */
export function finishDrainedJobs(db: Database.Database, now: number, event: EngineEventSink = () => {}): number {
  const finished = db
    .prepare(
      `UPDATE jobs SET status = 'SUCCEEDED', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
       WHERE status = 'RUNNING' AND scan_done = 1 AND NOT EXISTS (SELECT 1 FROM engine_tasks t WHERE t.job_id = jobs.job_id)
       RETURNING job_id, experiment_id, kind, done, failed`,
    )
    .all(now) as { job_id: string; experiment_id: number; kind: string; done: number; failed: number }[];
  for (const j of finished)
    event({ name: "job.finished", fields: { job_id: j.job_id, experiment_id: String(j.experiment_id), kind: j.kind, done: j.done, failed: j.failed } });
  return finished.length;
}

/** Leases the oldest job still scanning (or one whose worker died). */
export function claimJob(e: EngineCtx): JobRow | undefined {
  const [r] = claimLeased(e.ctx.db.$client, JOB_CLAIM, { owner: e.workerId, now: e.ctx.now(), leaseMs: e.leaseMs, limit: 1 }) as { job_id: string }[];
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

/**
 * The job's scorers for a trace: all of them (assess), or those online sampling picks
 * (backfill). Built once per page: the candidate list is the same for every trace.
 */
function jobScorers(
  kind: JobRow["kind"],
  p: JobParams,
  pinned: readonly EngineScorer[],
): (traceId: string, trace: TraceData | undefined) => readonly EngineScorer[] {
  if (kind === "assess") return () => pinned;
  const byName = new Map(pinned.map((s) => [s.name, s]));
  const sampling = (p.sampling ?? []).filter((s) => !s.session).map((s) => ({ ...s, block: null }));
  return (traceId, trace) => {
    const out: EngineScorer[] = [];
    for (const d of decideTrace(traceId, sampling, traceMatcher(trace))) {
      const s = d.sampled ? byName.get(d.candidate.name) : undefined;
      if (s) out.push(s);
    }
    return out;
  };
}

/** The pairs of one page: to run now, to queue behind a pause or a spent budget, already scored. */
async function pairsOf(e: EngineCtx, job: JobRow, p: JobParams, page: JobPage) {
  const db = e.ctx.db;
  const spent = spentToday(db, job.experimentId, e.ctx.now());
  const all = pinnedScorers(db, p);
  const pinned = all.filter((s) => !s.sessionLevel); // session scorers: lib/engine/sessions/session-jobs.ts
  const sessions = await sessionJobPage(e, job, p, all, page.traces);
  const scored = await e.store.sink.scored(page.traces);
  const run: Pair[] = [];
  const held: Pair[] = [];
  const repeats: Pair[] = [];
  const scorersFor = jobScorers(job.kind, p, pinned);
  for (const t of page.traces) {
    for (const scorer of scorersFor(t.traceId, page.data.get(t.traceId))) {
      const pair: Pair = { trace: { traceId: t.traceId, experimentId: job.experimentId, timeMs: t.timeMs }, scorer };
      if (!p.rescore && scored.keys.has(pairKey(t.traceId, scorer.scorerId, scorer.version))) repeats.push(pair);
      else if (blockOf(scorer, spent.get(scorer.name) ?? 0, false)) held.push(pair);
      else run.push(pair);
    }
  }
  return { run, held, repeats, scored, sessions };
}

interface Prepared {
  page: JobPage;
  /** The cursor before this page: the commit moves it to page.next, or fails. */
  from: JobCursor;
  run: Pair[];
  held: Pair[];
  repeats: Pair[];
  sessions: SessionJobPage;
  found: Awaited<ReturnType<typeof pairsOf>>["scored"]["found"];
  scoring: Promise<BatchScoring> | null;
}

/** Reads the next page after `from`, decides its pairs and (atomic sink) starts scoring them. */
async function prepare(e: EngineCtx, job: JobRow, p: JobParams, from: JobCursor): Promise<Prepared | null> {
  const needFilter = job.kind === "backfill" && needsFilterData((p.sampling ?? []).filter((s) => !s.session).map((s) => ({ ...s, block: null })));
  const page = await e.store.source.jobPage(job, p, from, e.batchSize, needFilter);
  if (page.traces.length === 0 && page.missing === 0 && page.next.scanned === from.scanned) return null;
  const { run, held, repeats, scored, sessions } = await pairsOf(e, job, p, page);
  const data = page.data as ReadonlyMap<string, TraceData>;
  const scoring = e.store.sink.atomic ? started(scoreBatch(e, run, () => true, job.jobId, data)) : null;
  return { page, from, run, held, repeats, sessions, found: scored.found, scoring };
}

async function commitBatch(e: EngineCtx, job: JobRow, p: JobParams, b: Prepared): Promise<void> {
  const scoring = b.scoring ? await b.scoring : null;
  const sqlite = e.ctx.db.$client;
  const now = e.ctx.now();
  const { sink } = e.store;
  const rec = new Recorder(e.ctx.db, now, e.workerId, sink, e.event);
  const advance = sqlite.prepare(
    `UPDATE jobs SET cursor_ts = @ts, cursor_trace_id = @traceId, traces_scanned = @scanned, traces_total = MAX(traces_total, @scanned),
       total = CASE kind WHEN 'assess' THEN MAX(total, @scanned * @scorers + session_pairs + @sessions) ELSE total END,
       session_pairs = session_pairs + @sessions,
       lease_expires_at = @lease, heartbeat_at = @now
     WHERE job_id = @jobId AND lease_owner = @owner AND status = 'RUNNING' AND cursor_ts IS @fromTs AND cursor_trace_id IS @fromId AND traces_scanned = @fromScanned`,
  );
  const n = b.page.next;
  sqlite
    .transaction(() => {
      const moved = advance.run({
        ts: n.ts,
        traceId: n.traceId,
        scanned: n.scanned,
        lease: now + e.leaseMs,
        now,
        jobId: job.jobId,
        owner: e.workerId,
        fromTs: b.from.ts,
        fromId: b.from.traceId,
        fromScanned: b.from.scanned,
        scorers: traceScorers(p),
        sessions: job.kind === "assess" ? b.sessions.tasks.length + b.sessions.skips.length : 0,
      });
      if (moved.changes !== 1) throw new LostJob(); // cancelled, or taken over: roll back, record nothing
      const sessionPairs = queueSessionJobPage(e, rec, job, b.sessions, now);
      if (job.kind === "backfill") for (let k = 0; k < b.run.length + b.held.length + b.repeats.length + sessionPairs; k++) rec.jobPair(job.jobId);
      if (b.page.missing) rec.jobSkips(job.jobId, b.page.missing * traceScorers(p));
      if (!sink.atomic) sink.record(b.found);
      for (const pair of b.repeats) rec.skip(pair, job.jobId, "already_scored");
      for (const pair of b.held) queuePair(rec, pair, job.jobId, now);
      if (scoring) recordBatch(rec, scoring, job.jobId, now);
      else for (const pair of b.run) queuePair(rec, pair, job.jobId, now);
      rec.flush();
    })
    .immediate();
}

/** Scans pages of a leased job, two in flight, until it is scanned or the limits are reached. */
async function scanRun(e: EngineCtx, job: JobRow, limits: RunLimits): Promise<void> {
  const p = parseParams(job);
  let cursor: JobCursor = { ts: job.cursorTs, traceId: job.cursorTraceId, scanned: job.tracesScanned };
  let selectionDone = false;
  const r = await pipeline(
    limits,
    async () => {
      if (selectionDone) return null;
      const b = await prepare(e, job, p, cursor);
      if (b) {
        cursor = b.page.next;
        selectionDone = b.page.done;
      }
      return b;
    },
    (b) => commitBatch(e, job, p, b),
  );
  if (!r.exhausted) return;
  const done = e.ctx.db.$client
    .prepare(
      `UPDATE jobs SET scan_done = 1, total = CASE kind WHEN 'assess' THEN traces_scanned * ? + session_pairs ELSE total END,
         lease_owner = NULL, lease_expires_at = NULL
       WHERE job_id = ? AND lease_owner = ? AND status = 'RUNNING' AND cursor_ts IS ? AND cursor_trace_id IS ? AND traces_scanned = ?`,
    )
    .run(traceScorers(p), job.jobId, e.workerId, cursor.ts, cursor.traceId, cursor.scanned);
  if (done.changes) finishDrainedJobs(e.ctx.db.$client, e.ctx.now(), e.event);
}

/** Job pages if a job needs scanning; true when it did work. */
export async function jobStep(e: EngineCtx, limits: RunLimits = { maxBatches: 1, budgetMs: Infinity }): Promise<boolean> {
  finishDrainedJobs(e.ctx.db.$client, e.ctx.now(), e.event);
  const job = claimJob(e);
  if (!job) return false;
  try {
    await scanRun(e, job, limits);
  } catch (err) {
    if (err instanceof LostJob) return true;
    if (!isVigilError(err) || err instanceof UpstreamUnavailableError) {
      // The store is down or slow (or something unexpected): keep the job, free it for the next pass.
      e.ctx.db.$client.prepare("UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ? AND lease_owner = ?").run(job.jobId, e.workerId);
      throw err;
    }
    // The job itself cannot go on (say its experiment was deleted): say why and stop.
    e.ctx.db
      .update(jobs)
      .set({ status: "FAILED", error: err.message, finishedAt: e.ctx.now(), leaseOwner: null, leaseExpiresAt: null })
      .where(eq(jobs.jobId, job.jobId))
      .run();
    e.event({ name: "job.failed", fields: { job_id: job.jobId, experiment_id: String(job.experimentId), kind: job.kind, reason: err.message } });
  }
  return true;
}
