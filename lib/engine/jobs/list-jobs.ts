import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { jobs, jobStatuses } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString, int64 } from "@/lib/mlflow/proto-json";
import { jobFromRow, type JobJson } from "./job-json";

export const ListJobsInput = z.object({
  experiment_id: experimentIdString.optional(),
  status: z.enum(jobStatuses).optional(),
  max_results: int64.pipe(z.number().int().min(1).max(1000)).optional(),
});
export type ListJobsInput = z.input<typeof ListJobsInput>;

/** Assess and backfill jobs, newest first. A token limited to one experiment sees that one only. */
export function listJobs({ ctx, input }: VerbArgs<ListJobsInput>): { jobs: JobJson[] } {
  const i = ListJobsInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experiment_id);
  const experimentId = i.experiment_id ?? ctx.actor.experimentId ?? undefined;
  const where: SQL[] = [inArray(jobs.kind, ["assess", "backfill"])];
  if (experimentId !== undefined) where.push(eq(jobs.experimentId, experimentId));
  if (i.status) where.push(eq(jobs.status, i.status));
  const rows = ctx.db
    .select()
    .from(jobs)
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.jobId))
    .limit(i.max_results ?? 100)
    .all();
  return { jobs: rows.map(jobFromRow) };
}
