import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { archiveTraces } from "./archive-traces";

export const ProcessHistoryJobsInput = z.object({
  batchSize: z.number().int().min(1).max(2000).default(200),
  maxTraces: z.number().int().min(1).default(2000),
});
export type ProcessHistoryJobsInput = z.input<typeof ProcessHistoryJobsInput>;

/** What an archive_history job keeps in jobs.params: how far its walk has come. */
export interface HistoryParams {
  /** Traces with request_time up to this (enable time, or the latest trace then) are the job's; later ones are queued. */
  until: number;
  cursor: { requestTime: number; traceId: string } | null;
}

interface JobRow {
  job_id: string;
  experiment_id: number;
  status: string;
  params: string;
  done: number;
  total: number;
  started_at: number | null;
}

/**
 * Walks the history of experiments whose archival was just enabled, oldest first, archiving
 * every complete trace and advancing the job's cursor and progress (done of total) in the same
 * IMMEDIATE transaction, so a crash resumes where it stopped and two workers never double-count.
 */
export function processHistoryJobs({ ctx, input }: VerbArgs<ProcessHistoryJobsInput>): { archived: number; walked: number } {
  requireRole(ctx.actor, "admin");
  const i = ProcessHistoryJobsInput.parse(input);
  const sqlite = ctx.db.$client;
  const jobIds = sqlite
    .prepare("SELECT job_id FROM jobs WHERE kind = 'archive_history' AND status IN ('QUEUED', 'RUNNING') ORDER BY created_at, job_id")
    .pluck()
    .all() as string[];
  const getJob = sqlite.prepare("SELECT job_id, experiment_id, status, params, done, total, started_at FROM jobs WHERE job_id = ?");
  const enabled = sqlite.prepare("SELECT enabled FROM archive_settings WHERE experiment_id = ?").pluck();
  const page = sqlite.prepare(
    `SELECT trace_id, request_time FROM traces
     WHERE experiment_id = @e AND request_time <= @until AND (request_time > @t OR (request_time = @t AND trace_id > @id))
     ORDER BY request_time, trace_id LIMIT @n`,
  );
  const dequeue = sqlite.prepare("DELETE FROM archive_queue WHERE trace_id = ?");
  const update = sqlite.prepare(
    `UPDATE jobs SET status = @status, params = @params, done = @done, total = @total, started_at = @startedAt, finished_at = @finishedAt
     WHERE job_id = @jobId`,
  );
  let walked = 0;
  let archived = 0;

  const step = sqlite.transaction((jobId: string): boolean => {
    const job = getJob.get(jobId) as JobRow | undefined;
    if (!job || (job.status !== "QUEUED" && job.status !== "RUNNING")) return false;
    const now = ctx.now();
    const params = JSON.parse(job.params) as HistoryParams;
    const base = { jobId, params: job.params, done: job.done, total: job.total, startedAt: job.started_at ?? now, finishedAt: null as number | null };
    if (enabled.get(job.experiment_id) !== 1) {
      update.run({ ...base, status: "CANCELLED", finishedAt: now });
      return false;
    }
    const n = Math.min(i.batchSize, i.maxTraces - walked);
    const c = params.cursor ?? { requestTime: Number.MIN_SAFE_INTEGER, traceId: "" };
    const rows = page.all({ e: job.experiment_id, until: params.until, t: c.requestTime, id: c.traceId, n }) as { trace_id: string; request_time: number }[];
    const ids = rows.map((r) => r.trace_id);
    archived += archiveTraces(ctx.db, ids, now).length;
    // Archived just now with their current state: nothing left to do for them in the queue.
    for (const id of ids) dequeue.run(id);
    walked += rows.length;
    const last = rows[rows.length - 1];
    const next: HistoryParams = { ...params, cursor: last ? { requestTime: last.request_time, traceId: last.trace_id } : params.cursor };
    const done = job.done + rows.length;
    const finished = rows.length < n;
    update.run({
      ...base,
      status: finished ? "SUCCEEDED" : "RUNNING",
      params: JSON.stringify(next),
      done,
      // The count at enable time was an estimate: traces may have been added or deleted since.
      total: finished ? done : Math.max(job.total, done),
      finishedAt: finished ? now : null,
    });
    return !finished;
  });

  for (const jobId of jobIds) {
    while (walked < i.maxTraces && step.immediate(jobId));
    if (walked >= i.maxTraces) break;
  }
  return { archived, walked };
}
