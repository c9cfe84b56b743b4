import { z } from "zod";
import { newId, requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { getExperimentRow } from "@/lib/experiments/experiment-json";
import { experimentIdString, protoBool } from "@/lib/mlflow/proto-json";
import { archivalStatusOf, type ArchivalStatus } from "./get-archival-status";
import type { HistoryParams } from "./process-history-jobs";

export const SetArchivalInput = z.object({
  experimentId: experimentIdString,
  enabled: protoBool,
  /** Days of raw traces to keep (1 to 100 years); null keeps them forever; absent leaves it as is. */
  retentionDays: z.coerce.number().int().min(1).max(36_500).nullable().optional(),
  reason: z.string().max(500).optional(),
});
export type SetArchivalInput = z.input<typeof SetArchivalInput>;

interface Before {
  enabled: number;
  retention_days: number | null;
  enabled_at: number | null;
  history_job_id: string | null;
}

/**
 * Turns archival of an experiment on or off and sets its hot-store retention. Turning it on
 * starts an archive_history job over the traces already there (progress: done of total); from
 * then on triggers queue every completed or changed trace. Turning it off cancels that job; the
 * archive keeps what it has. Admins only; audited with the state before and after.
 */
export function setArchival({ ctx, input }: VerbArgs<SetArchivalInput>): { archival: ArchivalStatus } {
  const i = SetArchivalInput.parse(input);
  requireRole(ctx.actor, "admin", i.experimentId);
  getExperimentRow(ctx.db, i.experimentId);
  const sqlite = ctx.db.$client;

  sqlite
    .transaction(() => {
      const now = ctx.now();
      const before = sqlite
        .prepare("SELECT enabled, retention_days, enabled_at, history_job_id FROM archive_settings WHERE experiment_id = ?")
        .get(i.experimentId) as Before | undefined;
      const wasOn = before?.enabled === 1;
      const retentionDays = i.retentionDays === undefined ? (before?.retention_days ?? null) : i.retentionDays;
      let enabledAt = before?.enabled_at ?? null;
      let jobId = before?.history_job_id ?? null;
      const cancel = sqlite.prepare(
        "UPDATE jobs SET status = 'CANCELLED', finished_at = ? WHERE job_id = ? AND kind = 'archive_history' AND status IN ('QUEUED', 'RUNNING')",
      );

      if (i.enabled && !wasOn) {
        // Changes made while archival was off were not queued: the history walk re-archives them,
        // and retention treats copies older than enabled_at as stale.
        enabledAt = now;
        if (jobId) cancel.run(now, jobId);
        // The walk covers every trace there now, future-dated ones included; later ones are queued.
        const h = sqlite.prepare("SELECT count(*) AS total, max(request_time) AS last FROM traces WHERE experiment_id = ?").get(i.experimentId) as {
          total: number;
          last: number | null;
        };
        const total = h.total;
        jobId = null;
        if (total > 0) {
          jobId = newId("job-");
          const params: HistoryParams = { until: Math.max(now, h.last ?? now), cursor: null };
          sqlite
            .prepare(
              `INSERT INTO jobs (job_id, kind, experiment_id, status, params, total, done, failed, created_by, created_at)
           VALUES (@jobId, 'archive_history', @experimentId, 'QUEUED', @params, @total, 0, 0, @createdBy, @now)`,
            )
            .run({ jobId, experimentId: i.experimentId, params: JSON.stringify(params), total, createdBy: ctx.actor.id, now });
        }
      } else if (!i.enabled && wasOn) {
        if (jobId) cancel.run(now, jobId);
        sqlite.prepare("DELETE FROM archive_queue WHERE experiment_id = ?").run(i.experimentId);
      }

      sqlite
        .prepare(
          `INSERT INTO archive_settings (experiment_id, enabled, retention_days, enabled_at, history_job_id, updated_at, updated_by)
       VALUES (@e, @enabled, @retentionDays, @enabledAt, @jobId, @now, @by)
       ON CONFLICT (experiment_id) DO UPDATE SET enabled = excluded.enabled, retention_days = excluded.retention_days,
         enabled_at = excluded.enabled_at, history_job_id = excluded.history_job_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run({ e: i.experimentId, enabled: i.enabled ? 1 : 0, retentionDays, enabledAt, jobId, now, by: ctx.actor.id });

      recordAudit(ctx, {
        action: i.enabled === wasOn ? "archival.update" : i.enabled ? "archival.enable" : "archival.disable",
        entityType: "archival",
        entityId: String(i.experimentId),
        experimentId: i.experimentId,
        before: before ? { enabled: wasOn, retention_days: before.retention_days } : undefined,
        after: { enabled: i.enabled, retention_days: retentionDays, history_job_id: jobId },
        reason: i.reason ?? null,
      });
    })
    .immediate();

  return { archival: archivalStatusOf(ctx, i.experimentId) };
}
