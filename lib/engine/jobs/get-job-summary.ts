// What a job's selection looks like once scored: per pinned scorer version, how many of the
// selected traces hold its assessment (this job's or an earlier one's: a trace already scored is
// skipped, not lost), errors, pass rate or mean, and the filter that lists those traces.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { HOT_POINT_COLUMNS } from "@/lib/metrics/point-sql";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";
import { requireJobRow } from "./job-json";
import { parseParams, type JobParams } from "./job-params";
import { selectionWhere } from "./job-selection";

export const GetJobSummaryInput = z.object({ job_id: z.string().min(1) });

export interface JobScorerSummary {
  name: string;
  version: number;
  /** Selected traces holding this version's assessment. */
  assessed: number;
  /** Of those, written by this job (the rest were scored before it). */
  fromJob: number;
  errors: number;
  /** Assessments with a yes/no or true/false value, and how many passed. */
  judged: number;
  passed: number;
  /** Mean of numeric values, null when none. */
  mean: number | null;
}

export interface JobSummary {
  scorers: JobScorerSummary[];
  /** An MLflow filter for the Traces list that shows the job's traces; null when it cannot be said. */
  tracesFilter: string | null;
}

/** Trace lists longer than this make a link too long to share: the summary gives none. */
const MAX_LINKED_IDS = 100;

export function jobTracesFilter(p: JobParams): string | null {
  const parts: string[] = [];
  if (p.traceIds) {
    if (p.traceIds.length > MAX_LINKED_IDS) return null;
    parts.push(`trace.request_id IN (${p.traceIds.map((id) => `'${id.replace(/'/g, "")}'`).join(", ")})`);
  }
  if (p.filterString) parts.push(p.filterString);
  if (p.startMs !== null) parts.push(`trace.timestamp_ms >= ${p.startMs}`);
  if (p.endMs !== null) parts.push(`trace.timestamp_ms < ${p.endMs}`);
  return parts.join(" AND ");
}

export function getJobSummary({ ctx, input }: VerbArgs<z.input<typeof GetJobSummaryInput>>): JobSummary {
  const { job_id } = GetJobSummaryInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const job = requireJobRow(ctx.db, job_id);
  requireRole(ctx.actor, "viewer", job.experimentId);
  const p = parseParams(job);
  const tracesFilter = jobTracesFilter(p);
  // A remote experiment's traces live on MLflow: only this job's own assessments are known here.
  const linked = tracesHeldByMlflow(ctx.db, job.experimentId);
  const versions = sql.join(
    p.scorers.map((s) => sql`(a.scorer_id = ${s.scorerId} AND a.scorer_version = ${s.version})`),
    sql` OR `,
  );
  const inSelection = linked
    ? sql`a.run_id = ${job.jobId}`
    : sql`a.trace_id IN (SELECT trace_id FROM traces WHERE ${selectionWhere(job.kind, job.experimentId, p)})`;
  const c = HOT_POINT_COLUMNS;
  const rows = ctx.db.all<{
    scorer_id: string;
    version: number;
    assessed: number;
    from_job: number;
    errors: number;
    judged: number;
    passed: number;
    mean: number | null;
  }>(sql`
    SELECT scorer_id, version, COUNT(*) AS assessed, SUM(from_job) AS from_job, SUM(is_error) AS errors,
           COUNT(pass) AS judged, COALESCE(SUM(pass), 0) AS passed, AVG(num) AS mean
    FROM (SELECT a.scorer_id, a.scorer_version AS version, a.run_id = ${job.jobId} AS from_job,
                 ${sql.raw(c.isError)} AS is_error, ${sql.raw(c.pass)} AS pass, ${sql.raw(c.num)} AS num
          FROM assessments a
          WHERE a.experiment_id = ${job.experimentId} AND a.kind = 'feedback' AND a.valid = 1 AND (${versions}) AND ${inSelection})
    GROUP BY scorer_id, version`);
  const byKey = new Map(rows.map((r) => [`${r.scorer_id}:${r.version}`, r]));
  return {
    tracesFilter,
    scorers: p.scorers.map((s) => {
      const r = byKey.get(`${s.scorerId}:${s.version}`);
      return {
        name: s.name,
        version: s.version,
        assessed: r?.assessed ?? 0,
        fromJob: r?.from_job ?? 0,
        errors: r?.errors ?? 0,
        judged: r?.judged ?? 0,
        passed: r?.passed ?? 0,
        mean: r?.mean ?? null,
      };
    }),
  };
}
