"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Fragment, useState } from "react";
import type { JobJson, JobSummary } from "@/lib/engine/jobs";
import type { ActionResult } from "@/lib/read/action-result";
import type { ScoredAssessment } from "@/lib/read/scorers/list-scored-assessments";
import { assessmentTone, assessmentValueText } from "../assessment-value";
import { ConfirmDialog } from "../confirm-dialog";
import { formatDateTime, formatMs } from "../format";
import { unwrap } from "../scorers/use-scorers";
import { isActive, jobProgress, jobTarget } from "./job-progress";
import { jobsKey, useJobs } from "./use-jobs";

export interface JobListActions {
  list: (experimentId: string) => Promise<ActionResult<JobJson[]>>;
  cancel: (jobId: string) => Promise<ActionResult<JobJson>>;
  results: (experimentId: string, jobId: string) => Promise<ActionResult<ScoredAssessment[]>>;
  summary: (jobId: string) => Promise<ActionResult<JobSummary>>;
}

const STATUS_TONE: Record<JobJson["status"], string> = { QUEUED: "", RUNNING: "info", SUCCEEDED: "ok", FAILED: "bad", CANCELLED: "warn" };

/** Every job with a live progress bar; cancel asks first; results open under the job (URL: ?job=). */
export function JobList({
  experimentId,
  initial,
  at,
  actions,
  canCancel,
}: {
  experimentId: string;
  initial: JobJson[];
  at: number;
  actions: JobListActions;
  canCancel: boolean;
}) {
  const q = useJobs(experimentId, initial, actions.list, at);
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const open = useSearchParams().get("job");
  const [cancelling, setCancelling] = useState<JobJson | null>(null);
  const cancel = useMutation({
    mutationFn: async (jobId: string) => unwrap(await actions.cancel(jobId)),
    onSuccess: (job) => {
      qc.setQueryData<JobJson[]>(jobsKey(experimentId), (old) => old?.map((j) => (j.job_id === job.job_id ? job : j)));
      setCancelling(null);
    },
  });
  const toggle = (jobId: string) => router.replace(open === jobId ? pathname : `${pathname}?job=${encodeURIComponent(jobId)}`, { scroll: false });

  if (q.data.length === 0) return <div className="empty">No jobs yet. Start a backfill or an assessment above.</div>;
  return (
    <>
      <div className="table-wrap">
        <table className="data" aria-label="Jobs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th style={{ width: "34%" }}>Progress</th>
              <th className="hide-sm">Scorers</th>
              <th className="hide-sm">Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {q.data.map((j) => {
              const p = jobProgress(j);
              return (
                <Fragment key={j.job_id}>
                  <tr aria-label={`Job ${j.job_id}`}>
                    <td>
                      <span className="chip">{j.kind}</span>{" "}
                      {j.rescore && (
                        <>
                          <span className="chip" title="Scores again what the same scorer version already scored">
                            score again
                          </span>{" "}
                        </>
                      )}
                      <span className="mono small" title={j.job_id}>
                        {j.job_id.slice(0, 12)}…
                      </span>
                    </td>
                    <td>
                      <span className={`chip ${STATUS_TONE[j.status]}`} data-status={j.status}>
                        {j.status.toLowerCase()}
                      </span>
                      {j.error && <div className="bad small">{j.error}</div>}
                    </td>
                    <td>
                      <div
                        className={`progress ${p.tone}`}
                        role="progressbar"
                        aria-label={`Progress of ${j.job_id}`}
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={p.pct === null ? undefined : Math.round(p.pct)}
                        aria-valuetext={p.label}
                      >
                        <span style={{ width: `${p.pct ?? 0}%` }} />
                      </div>
                      <div className="small muted" style={{ marginTop: 4 }}>
                        {p.label}
                      </div>
                    </td>
                    <td className="hide-sm small">
                      {j.scorers.join(", ")}
                      <div className="muted">{jobTarget(j, (ms) => formatDateTime(ms))}</div>
                    </td>
                    <td className="hide-sm small">
                      {formatDateTime(j.created_at)}
                      {j.finished_at && j.started_at && <div className="muted">took {formatMs(j.finished_at - j.started_at)}</div>}
                    </td>
                    <td style={{ whiteSpace: "nowrap", textAlign: "right" }}>
                      {isActive(j) && (
                        <button
                          type="button"
                          className="btn small danger"
                          onClick={() => setCancelling(j)}
                          disabled={!canCancel}
                          title={canCancel ? undefined : "Cancelling needs the operator role"}
                        >
                          Cancel
                        </button>
                      )}{" "}
                      <button type="button" className="btn small" aria-expanded={open === j.job_id} onClick={() => toggle(j.job_id)}>
                        Results
                      </button>
                    </td>
                  </tr>
                  {open === j.job_id && (
                    <tr>
                      <td colSpan={6} style={{ background: "var(--bg)" }}>
                        <JobResults experimentId={experimentId} job={j} results={actions.results} summary={actions.summary} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this job?"
        confirmLabel="Cancel job"
        tone="danger"
        busy={cancel.isPending}
        error={cancel.error?.message}
        onCancel={() => {
          cancel.reset();
          setCancelling(null);
        }}
        onConfirm={() => cancelling && cancel.mutate(cancelling.job_id)}
      >
        <p>
          The {cancelling?.kind} stops within seconds. What it has scored so far ({cancelling ? jobProgress(cancelling).label : ""}) is kept; queued pairs are
          dropped.
        </p>
      </ConfirmDialog>
    </>
  );
}

function JobResults({
  experimentId,
  job,
  results,
  summary,
}: {
  experimentId: string;
  job: JobJson;
  results: JobListActions["results"];
  summary: JobListActions["summary"];
}) {
  const q = useQuery({
    queryKey: ["job-results", job.job_id, job.done + job.failed],
    queryFn: async () => unwrap(await results(experimentId, job.job_id)),
    placeholderData: (prev) => prev,
  });
  const s = useQuery({
    queryKey: ["job-summary", job.job_id, job.done + job.failed + job.skipped],
    queryFn: async () => unwrap(await summary(job.job_id)),
    placeholderData: (prev) => prev,
  });
  const head = s.data ? (
    <JobSummaryTable experimentId={experimentId} job={job} summary={s.data} />
  ) : s.isError ? (
    <div className="alert bad">{s.error.message}</div>
  ) : null;
  if (q.isError) return <div className="alert bad">{q.error.message}</div>;
  if (!q.data)
    return (
      <div className="muted small" role="status">
        Loading results…
      </div>
    );
  if (q.data.length === 0) {
    return (
      <div>
        {head}
        <div className="muted small">
          {job.skipped > 0 && job.done + job.failed === 0
            ? "This job wrote no new assessments: every selected trace was already scored by the same scorer version (counted above). Start it again with “Score again” to replace those assessments."
            : isActive(job)
              ? "No assessments from this job yet."
              : "This job wrote no assessments."}
        </div>
      </div>
    );
  }
  return (
    <div>
      {head}
      <p className="small muted" style={{ margin: "0 0 6px" }}>
        The newest {q.data.length} assessments of this run (run id <code>{job.job_id}</code>).
      </p>
      <table className="data" aria-label={`Results of ${job.job_id}`}>
        <thead>
          <tr>
            <th>Trace</th>
            <th>Scorer</th>
            <th>Value</th>
            <th className="hide-sm">Rationale</th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((a) => (
            <tr key={a.assessment_id}>
              <td>
                <Link className="mono" href={`/experiments/${experimentId}/traces/${encodeURIComponent(a.trace_id)}`}>
                  {a.trace_id.slice(0, 11)}…
                </Link>
              </td>
              <td>
                {a.assessment_name} <span className="muted small">v{a.scorer_version}</span>
              </td>
              <td>
                <span className={`chip ${assessmentTone(a)}`}>{assessmentValueText(a)}</span>
              </td>
              <td className="hide-sm">
                <div className="preview">{a.rationale ?? a.feedback?.error?.error_message ?? "—"}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const pct = (n: number, d: number) => (d === 0 ? "—" : `${((100 * n) / d).toFixed(1)}%`);

/** Per scorer: pass rate, errors, mean over the job's selection, and a link to those traces. */
function JobSummaryTable({ experimentId, job, summary }: { experimentId: string; job: JobJson; summary: JobSummary }) {
  const href =
    summary.tracesFilter !== null
      ? `/experiments/${experimentId}/traces?${new URLSearchParams({ ...(summary.tracesFilter ? { q: summary.tracesFilter } : {}), range: "all" })}`
      : null;
  return (
    <div style={{ marginBottom: 10 }}>
      <table className="data" aria-label={`Summary of ${job.job_id}`}>
        <thead>
          <tr>
            <th>Scorer</th>
            <th className="num">Assessed</th>
            <th className="num">Pass rate</th>
            <th className="num">Mean</th>
            <th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {summary.scorers.map((r) => (
            <tr key={`${r.name}:${r.version}`}>
              <td>
                {r.name} <span className="muted small">v{r.version}</span>
              </td>
              <td className="num">
                {r.assessed.toLocaleString("en-US")}
                {r.assessed > r.fromJob && <div className="muted small">{(r.assessed - r.fromJob).toLocaleString("en-US")} scored before</div>}
              </td>
              <td className="num">
                {r.judged ? `${pct(r.passed, r.judged)}` : "—"}
                {r.judged > 0 && (
                  <div className="muted small">
                    {r.passed} of {r.judged}
                  </div>
                )}
              </td>
              <td className="num">{r.mean === null ? "—" : r.mean.toFixed(3)}</td>
              <td className={`num ${r.errors ? "bad-text" : ""}`}>{r.errors ? `${r.errors} (${pct(r.errors, r.assessed)})` : "0"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {href && (
        <p className="small" style={{ margin: "6px 0 0" }}>
          <Link href={href}>Show the {job.traces_total.toLocaleString("en-US")} traces of this job</Link>
        </p>
      )}
    </div>
  );
}
