import type { Ctx } from "@/lib/core";
import { processMetricsQueue } from "@/lib/metrics/process-metrics-queue";
import { applyRetention } from "./apply-retention";
import { processArchiveQueue } from "./process-archive-queue";
import { processHistoryJobs } from "./process-history-jobs";

export interface MaintenanceResult {
  /** Traces whose metric points were refreshed, and rollup buckets recomputed. */
  pointsRefreshed: number;
  rolledUp: number;
  /** Traces copied to the archive from the queue, and by history jobs. */
  archived: number;
  historyArchived: number;
  historyWalked: number;
  /** Traces deleted by retention (and re-archived first where their copy was stale). */
  deleted: number;
  retentionArchived: number;
}

/**
 * The worker's periodic pass for archival and trends, each step bounded so one pass stays short:
 * rollups first (cheap, what dashboards read), then the archive queue, history jobs, and last
 * retention, which re-checks archival itself and so is safe in any order. Acts as `ctx.actor`,
 * which must be an admin (the worker's system actor).
 */
export function maintenanceTick(ctx: Ctx): MaintenanceResult {
  const metrics = processMetricsQueue({ ctx, input: {} });
  const queue = processArchiveQueue({ ctx, input: {} });
  const history = processHistoryJobs({ ctx, input: {} });
  const retention = applyRetention({ ctx, input: {} });
  return {
    pointsRefreshed: metrics.traces,
    rolledUp: metrics.buckets,
    archived: queue.archived,
    historyArchived: history.archived,
    historyWalked: history.walked,
    deleted: retention.deleted,
    retentionArchived: retention.archived,
  };
}

/** True when a pass found work, so the worker can loop again without sleeping. */
export const maintenanceBusy = (r: MaintenanceResult) => r.pointsRefreshed + r.archived + r.historyWalked + r.deleted > 0;
