import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { traces } from "@/db/schema";
import { InvalidParameterError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { checkWindow, jobScorer, MAX_TRACE_IDS, requireRunnableScorers, timeMs, type JobParams } from "./job-params";
import { countSelection } from "./job-selection";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";
import { queueJob } from "./queue-job";

export const CreateAssessJobInput = z.strictObject({
  experiment_id: experimentIdString,
  scorers: z.array(z.string().min(1, "a scorer name must not be empty")).min(1, "name at least one scorer").max(50),
  trace_ids: z.array(z.string().min(1)).min(1, "give at least one trace id, or leave trace_ids out").max(MAX_TRACE_IDS).optional(),
  filter_string: z.string().optional(),
  start_time_ms: timeMs.optional(),
  end_time_ms: timeMs.optional(),
  /** Score again: traces the same scorer version already scored get a new assessment that overrides the older one. */
  rescore: z.boolean().optional(),
});
export type CreateAssessJobInput = z.input<typeof CreateAssessJobInput>;

/** Score again runs against Vigil's own store; on MLflow the older assessment would stay valid beside the new one. */
export function checkRescore(db: Db, experimentId: number, rescore: boolean | undefined): void {
  if (rescore && tracesHeldByMlflow(db, experimentId)) {
    throw new InvalidParameterError(
      `rescore is not available for experiment ${experimentId}: it is linked to a remote MLflow server, where the older assessments would stay valid.`,
    );
  }
}

const listed = (ids: string[]) => `${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ` and ${ids.length - 5} more` : ""}`;

/**
 * On-demand assessment: the named scorers on every selected complete trace (100%, no sampling),
 * grouped as one evaluation run whose id is the job id. Answers the job id (the REST layer 202s).
 */
export function createAssessJob({ ctx, input }: VerbArgs<CreateAssessJobInput>): { job_id: string } {
  const i = CreateAssessJobInput.parse(input);
  requireRole(ctx.actor, "admin", i.experiment_id);
  const filterString = i.filter_string?.trim() ? i.filter_string : null;
  if (i.trace_ids && filterString) throw new InvalidParameterError("Give trace_ids or filter_string, not both.");
  if (filterString) parseFilter(filterString); // a bad filter is a 400 with the parser's message
  checkWindow(i.start_time_ms ?? null, i.end_time_ms ?? null);
  checkRescore(ctx.db, i.experiment_id, i.rescore);
  const scorers = requireRunnableScorers(ctx.db, i.experiment_id, i.scorers);
  const now = ctx.now();

  let traceIds: string[] | undefined;
  if (i.trace_ids) {
    traceIds = [...new Set(i.trace_ids)];
  }
  // A remote experiment's traces live on MLflow: the job reports any that are missing there.
  if (traceIds && !tracesHeldByMlflow(ctx.db, i.experiment_id)) {
    const rows = ctx.db
      .select({ id: traces.traceId, completedAt: traces.completedAt })
      .from(traces)
      .where(and(eq(traces.experimentId, i.experiment_id), inArray(traces.traceId, traceIds)))
      .all();
    const found = new Map(rows.map((r) => [r.id, r.completedAt]));
    const missing = traceIds.filter((id) => !found.has(id));
    if (missing.length) throw new NotFoundError(`Traces not found in experiment ${i.experiment_id}: ${listed(missing)}.`);
    const open = traceIds.filter((id) => found.get(id) === null);
    if (open.length) throw new InvalidParameterError(`Traces not complete yet (still receiving spans): ${listed(open)}.`);
  }
  const params: JobParams = {
    scorers: scorers.map(jobScorer),
    traceIds,
    filterString,
    startMs: i.start_time_ms ?? null,
    // Without an end, the selection stops at creation: traces arriving later are not part of it.
    endMs: i.end_time_ms ?? (traceIds ? null : now + 1),
    ...(i.rescore ? { rescore: true } : {}),
  };
  const tracesTotal = countSelection(ctx.db, "assess", i.experiment_id, params);
  const jobId = queueJob(
    ctx,
    { kind: "assess", experimentId: i.experiment_id, params, total: tracesTotal * scorers.length, tracesTotal },
    { scorers: i.scorers, traces: tracesTotal, filter_string: filterString, trace_ids: traceIds?.length, rescore: i.rescore ?? false },
  );
  return { job_id: jobId };
}
