"use server";
// Job server actions: ctx, ONE lib verb, errors mapped for the form.
import {
  cancelJob,
  createAssessJob,
  createBackfillJob,
  getJobSummary,
  listJobs,
  type CreateAssessJobInput,
  type CreateBackfillJobInput,
  type JobJson,
  type JobSummary,
} from "@/lib/engine/jobs";
import { listScoredAssessments, runAction, type ActionResult, type ScoredAssessment } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function listJobsAction(experimentId: string): Promise<ActionResult<JobJson[]>> {
  const ctx = await getRequestCtx();
  return runAction(() => listJobs({ ctx, input: { experiment_id: experimentId, max_results: 100 } }).jobs);
}

export async function createAssessJobAction(input: CreateAssessJobInput): Promise<ActionResult<{ job_id: string }>> {
  const ctx = await getRequestCtx();
  return runAction(() => createAssessJob({ ctx, input }));
}

export async function createBackfillJobAction(input: CreateBackfillJobInput): Promise<ActionResult<{ job_id: string }>> {
  const ctx = await getRequestCtx();
  return runAction(() => createBackfillJob({ ctx, input }));
}

export async function cancelJobAction(jobId: string): Promise<ActionResult<JobJson>> {
  const ctx = await getRequestCtx();
  return runAction(() => cancelJob({ ctx, input: { job_id: jobId } }));
}

export async function jobResultsAction(experimentId: string, jobId: string): Promise<ActionResult<ScoredAssessment[]>> {
  const ctx = await getRequestCtx();
  return runAction(() => listScoredAssessments({ ctx, input: { experimentId, runId: jobId, limit: 50 } }));
}

export async function jobSummaryAction(jobId: string): Promise<ActionResult<JobSummary>> {
  const ctx = await getRequestCtx();
  return runAction(() => getJobSummary({ ctx, input: { job_id: jobId } }));
}
