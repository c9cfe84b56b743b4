import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import { parseParams, type JobRow } from "./job-params";

/** A job as Vigil's REST answers it (times in ms since the epoch). */
export interface JobJson {
  job_id: string;
  kind: JobRow["kind"];
  experiment_id: string;
  status: JobRow["status"];
  /** Pairs (trace, scorer) to score; a backfill's total grows while it scans, exact once scanned. */
  total: number;
  done: number;
  failed: number;
  /** Pairs left alone because the same scorer version already scored them (or was about to). */
  skipped: number;
  traces_total: number;
  traces_scanned: number;
  scorers: string[];
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  created_by: string | null;
  /** What it targets: the trace-time window, a filter, or a list of traces. */
  start_time_ms: number | null;
  end_time_ms: number | null;
  filter_string?: string;
  trace_ids_count?: number;
  /** Scores again what the same scorer version already scored (the older assessments kept, invalid). */
  rescore: boolean;
  error?: string;
}

export function jobFromRow(row: JobRow): JobJson {
  const p = parseParams(row);
  const j: JobJson = {
    job_id: row.jobId,
    kind: row.kind,
    experiment_id: String(row.experimentId),
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    skipped: row.skipped,
    traces_total: row.tracesTotal,
    traces_scanned: row.tracesScanned,
    scorers: p.scorers.map((s) => s.name),
    created_at: row.createdAt,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    created_by: row.createdBy,
    start_time_ms: p.startMs,
    end_time_ms: p.endMs,
    rescore: p.rescore === true,
  };
  if (p.filterString) j.filter_string = p.filterString;
  if (p.traceIds) j.trace_ids_count = p.traceIds.length;
  if (row.error) j.error = row.error;
  return j;
}

export function requireJobRow(db: Db, jobId: string): JobRow {
  const row = db.select().from(jobs).where(eq(jobs.jobId, jobId)).get();
  if (!row || (row.kind !== "assess" && row.kind !== "backfill")) throw new NotFoundError(`Job '${jobId}' not found.`);
  return row;
}
