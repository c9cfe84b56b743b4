// What assess and backfill jobs did for one scorer, beside online scoring's funnel: the jobs that
// ran the scorer over traces of the chosen window, each with the assessments it wrote (scored,
// failed), read by run id (the assessments' run index), so a funnel tells the whole story.
import { requireRole, type Ctx } from "@/lib/core";
import type { JobParams } from "@/lib/engine/jobs/job-params";

export interface ScorerJobOutcome {
  jobId: string;
  kind: "assess" | "backfill";
  status: string;
  rescore: boolean;
  /** The job's trace-time window; null where it is open. */
  startMs: number | null;
  endMs: number | null;
  createdAt: number;
  scored: number;
  failed: number;
}

export interface ScorerJobOutcomes {
  jobs: ScorerJobOutcome[];
  scored: number;
  failed: number;
}

/** Jobs newest first; at most this many are looked at (a scorer page, not an audit). */
const MAX_JOBS = 50;

/** Jobs of the experiment that ran `scorer` on traces in [start, end) (their windows overlap it; picked traces: created in it). */
export function scorerJobOutcomes(ctx: Ctx, experimentId: number, scorer: string, start: number, end: number): ScorerJobOutcomes {
  requireRole(ctx.actor, "viewer", experimentId);
  const db = ctx.db.$client;
  const rows = db
    .prepare(
      `SELECT job_id, kind, status, params, created_at FROM jobs
       WHERE experiment_id = ? AND kind IN ('assess', 'backfill') AND EXISTS (SELECT 1 FROM json_each(params, '$.scorers') WHERE json_extract(value, '$.name') = ?)
       ORDER BY created_at DESC LIMIT ${MAX_JOBS}`,
    )
    .all(experimentId, scorer) as { job_id: string; kind: "assess" | "backfill"; status: string; params: string; created_at: number }[];
  const counts = db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(error IS NOT NULL), 0) AS failed FROM assessments WHERE run_id = ? AND name = ?");
  const jobs: ScorerJobOutcome[] = [];
  for (const r of rows) {
    const p = JSON.parse(r.params) as JobParams;
    // Picked traces: the job counts where it was created. A window without an end selected the
    // traces that existed when the job was created.
    const [from, to] = p.traceIds ? [r.created_at, r.created_at + 1] : [p.startMs ?? 0, p.endMs ?? r.created_at + 1];
    if (from >= end || to <= start) continue;
    const c = counts.get(r.job_id, scorer) as { n: number; failed: number };
    jobs.push({
      jobId: r.job_id,
      kind: r.kind,
      status: r.status,
      rescore: p.rescore === true,
      startMs: p.startMs,
      endMs: p.endMs,
      createdAt: r.created_at,
      scored: c.n - c.failed,
      failed: c.failed,
    });
  }
  return { jobs, scored: jobs.reduce((a, j) => a + j.scored, 0), failed: jobs.reduce((a, j) => a + j.failed, 0) };
}
