import { jobs } from "@/db/schema";
import { newId, type Ctx } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import type { JobParams } from "./job-params";

/** Writes a QUEUED job and its audit entry together; a worker leases it from there. */
export function queueJob(
  ctx: Ctx,
  job: { kind: "assess" | "backfill"; experimentId: number; params: JobParams; tracesTotal: number; total?: number },
  auditAfter: Record<string, unknown>,
): string {
  const jobId = newId("job-");
  ctx.db.transaction(
    () => {
      ctx.db
        .insert(jobs)
        .values({
          jobId,
          kind: job.kind,
          experimentId: job.experimentId,
          status: "QUEUED",
          params: JSON.stringify(job.params),
          ...(job.total === undefined ? {} : { total: job.total }),
          tracesTotal: job.tracesTotal,
          createdBy: ctx.actor.id,
          createdAt: ctx.now(),
        })
        .run();
      recordAudit(ctx, { action: "job.create", entityType: "job", entityId: jobId, experimentId: job.experimentId, after: { kind: job.kind, ...auditAfter } });
    },
    { behavior: "immediate" },
  );
  return jobId;
}
