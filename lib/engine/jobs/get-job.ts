import { z } from "zod";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { jobFromRow, requireJobRow, type JobJson } from "./job-json";

export const GetJobInput = z.object({ job_id: z.string().min(1) });
export type GetJobInput = z.input<typeof GetJobInput>;

export function getJob({ ctx, input }: VerbArgs<GetJobInput>): JobJson {
  const { job_id } = GetJobInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const row = requireJobRow(ctx.db, job_id);
  requireRole(ctx.actor, "viewer", row.experimentId);
  return jobFromRow(row);
}
