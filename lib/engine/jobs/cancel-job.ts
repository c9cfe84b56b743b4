import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { engineTasks, jobs } from "@/db/schema";
import { InvalidStateError, BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { jobFromRow, requireJobRow, type JobJson } from "./job-json";

export const CancelJobInput = z.object({ job_id: z.string().min(1) });
export type CancelJobInput = z.input<typeof CancelJobInput>;

/**
 * Cancels a queued or running job. What is scored stays; its queued pairs are dropped at once,
 * and the worker, whose next commit checks the job is still RUNNING, stops after the batch in
 * hand. Cancelling a cancelled job answers it as it is.
 */
export function cancelJob({ ctx, input }: VerbArgs<CancelJobInput>): JobJson {
  const { job_id } = CancelJobInput.parse(input);
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  return ctx.db.transaction(
    () => {
      const row = requireJobRow(ctx.db, job_id);
      requireRole(ctx.actor, "operator", row.experimentId);
      if (row.status === "CANCELLED") return jobFromRow(row);
      if (row.status === "SUCCEEDED" || row.status === "FAILED") throw new InvalidStateError(`Job '${job_id}' already finished (${row.status}).`);
      const now = ctx.now();
      ctx.db
        .update(jobs)
        .set({ status: "CANCELLED", finishedAt: now, leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(jobs.jobId, job_id), inArray(jobs.status, ["QUEUED", "RUNNING"])))
        .run();
      ctx.db.delete(engineTasks).where(eq(engineTasks.jobId, job_id)).run();
      recordAudit(ctx, {
        action: "job.cancel",
        entityType: "job",
        entityId: job_id,
        experimentId: row.experimentId,
        before: { status: row.status },
        after: { status: "CANCELLED" },
      });
      return jobFromRow(requireJobRow(ctx.db, job_id));
    },
    { behavior: "immediate" },
  );
}
