// Assess and backfill jobs on a remote experiment: the job's selection is read from MLflow by
// search (or batch get, for listed trace ids) page by page; each page's pairs are queued in the
// transaction that moves the job's cursor, and the pair step scores and writes them. A job
// succeeds once it is scanned and its pairs have left the queue (finishDrainedJobs).
import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { isVigilError } from "@/lib/core";
import { claimJob, finishDrainedJobs, jobScorersFor, pinnedScorers } from "@/lib/engine/jobs/job-step";
import { parseParams, type JobParams, type JobRow } from "@/lib/engine/jobs/job-params";
import type { EngineScorer } from "@/lib/engine/scorer-set";
import { Recorder } from "@/lib/engine/store";
import { matchesTrace, parseFilter } from "@/lib/mlflow/filter";
import type { TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import type { RemoteCtx } from "./context";
import { after, queuePairs, traceTimeOf, type QueuedPair } from "./queue-pairs";
import { ORDER } from "./scan-online";
import { stmt } from "./stmt";

/** The MLflow filter for a job's window and filter; backfills leave evaluation-run traces out, as online scoring does. */
export function jobFilter(kind: JobRow["kind"], p: JobParams, fromTs: number | null): string {
  const parts: string[] = [];
  if (fromTs !== null) parts.push(`trace.timestamp_ms >= ${fromTs}`);
  if (p.endMs !== null) parts.push(`trace.timestamp_ms < ${p.endMs}`);
  if (kind === "backfill") parts.push("metadata.`mlflow.sourceRun` IS NULL");
  if (p.filterString) parts.push(p.filterString);
  return parts.join(" AND ");
}

/** The job's pairs on a page of traces. */
function pagePairs(job: JobRow, p: JobParams, scorers: EngineScorer[], infos: TraceInfoV3[], data: Map<string, TraceData>): QueuedPair[] {
  return infos.flatMap((info) => jobScorersFor(job.kind, p, scorers, info.trace_id, data.get(info.trace_id)).map((scorer) => ({ info, scorer })));
}

interface Page {
  infos: TraceInfoV3[];
  data: Map<string, TraceData>;
  done: boolean;
  /** Traces looked at (for listed ids: found or not). */
  scanned: number;
  /** Listed ids MLflow does not have. */
  missing: number;
}

/** The next page of the job's traces after its cursor; `done` when the selection is exhausted. */
async function nextPage(rc: RemoteCtx, job: JobRow, p: JobParams, link: string): Promise<Page> {
  const data = new Map<string, TraceData>();
  if (p.traceIds) {
    const from = job.tracesScanned;
    const ids = p.traceIds.slice(from, from + 100);
    const got = ids.length ? await rc.backend.batchGetTraces(ids) : [];
    const filter = p.filterString ? parseFilter(p.filterString) : null;
    const infos: TraceInfoV3[] = [];
    for (const t of got) {
      data.set(t.info.trace_id, t);
      if (!filter || matchesTrace(filter, t)) infos.push(t.info);
    }
    return { infos, data, done: from + ids.length >= p.traceIds.length, scanned: ids.length, missing: ids.length - got.length };
  }
  const q = { experimentIds: [link], filter: jobFilter(job.kind, p, job.cursorTs ?? p.startMs), orderBy: ORDER, maxResults: rc.pageSize };
  let page = await rc.backend.searchTraces(q);
  const fresh = (traces: TraceInfoV3[]) =>
    traces.filter((t) => job.cursorTs === null || after(traceTimeOf(t), t.trace_id, job.cursorTs, job.cursorTraceId ?? ""));
  let infos = fresh(page.traces);
  // A page made only of traces at the cursor's own millisecond: read on rather than spin.
  while (infos.length === 0 && page.nextPageToken) {
    page = await rc.backend.searchTraces({ ...q, pageToken: page.nextPageToken });
    infos = fresh(page.traces);
  }
  // Backfill sampling filters are evaluated on the trace's content, as online scoring does.
  if (job.kind === "backfill" && (p.sampling ?? []).some((s) => s.filterString)) {
    for (let i = 0; i < infos.length; i += 100) for (const t of await rc.backend.batchGetTraces(infos.slice(i, i + 100).map((x) => x.trace_id))) data.set(t.info.trace_id, t);
  }
  return { infos, data, done: !page.nextPageToken, scanned: infos.length, missing: 0 };
}

/** One page of one remote job; true when there was a job to work on. */
export async function remoteJobStep(rc: RemoteCtx): Promise<boolean> {
  const db = rc.e.ctx.db.$client;
  finishDrainedJobs(db, rc.e.ctx.now());
  const job = claimJob(rc.e, "remote");
  if (!job) return false;
  const link = stmt(db, "SELECT remote_experiment_id FROM remote_experiments WHERE experiment_id = ?").pluck().get(job.experimentId) as string;
  try {
    const p = parseParams(job);
    const scorers = pinnedScorers(rc.e.ctx.db, p);
    const page = await nextPage(rc, job, p, link);
    const pairs = pagePairs(job, p, scorers, page.infos, page.data);
    const now = rc.e.ctx.now();
    const last = page.infos[page.infos.length - 1];
    const rec = new Recorder(rc.e.ctx.db, now, rc.e.workerId, rc.e.store.sink);
    db.transaction(() => {
      const moved = db
        .prepare(
          `UPDATE jobs SET cursor_ts = COALESCE(?, cursor_ts), cursor_trace_id = COALESCE(?, cursor_trace_id), traces_scanned = traces_scanned + ?,
             traces_total = MAX(traces_total, traces_scanned + ?), scan_done = ?, heartbeat_at = ?, lease_expires_at = ?
           WHERE job_id = ? AND lease_owner = ? AND status = 'RUNNING' AND cursor_ts IS ? AND cursor_trace_id IS ? AND traces_scanned = ?`,
        )
        .run(
          last ? traceTimeOf(last) : null,
          last ? last.trace_id : null,
          page.scanned,
          page.scanned,
          page.done ? 1 : 0,
          now,
          now + rc.e.leaseMs,
          job.jobId,
          rc.e.workerId,
          job.cursorTs,
          job.cursorTraceId,
          job.tracesScanned,
        );
      if (moved.changes !== 1) return; // cancelled or taken over: nothing recorded
      const q = queuePairs(db, pairs, job.jobId, now);
      if (page.missing) stmt(db, "UPDATE jobs SET skipped = skipped + ? WHERE job_id = ?").run(page.missing * p.scorers.length, job.jobId);
      for (let k = 0; k < pairs.length; k++) rec.jobPair(job.jobId);
      for (const x of q.alreadyScored) rec.skip({ trace: { traceId: x.info.trace_id, experimentId: job.experimentId, timeMs: traceTimeOf(x.info) }, scorer: x.scorer }, job.jobId, "already_scored");
      if (page.done) stmt(db, "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ?").run(job.jobId);
      rec.flush();
    }).immediate();
    if (page.done) finishDrainedJobs(db, rc.e.ctx.now());
  } catch (err) {
    if (!isVigilError(err) || err.code === "TEMPORARILY_UNAVAILABLE") {
      // MLflow is down or slow: keep the job, let the lease lapse, and try again next pass.
      stmt(db, "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ? AND lease_owner = ?").run(job.jobId, rc.e.workerId);
      throw err;
    }
    rc.e.ctx.db.update(jobs).set({ status: "FAILED", error: err.message, finishedAt: rc.e.ctx.now(), leaseOwner: null, leaseExpiresAt: null }).where(eq(jobs.jobId, job.jobId)).run();
    rc.e.log(`job ${job.jobId} failed: ${err.message}`);
  }
  return true;
}
