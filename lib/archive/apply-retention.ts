import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { DAY_MS } from "@/lib/metrics/point-sql";
import { recomputeRollups, refreshTracePoints } from "@/lib/metrics/refresh-points";
import { archiveTraces } from "./archive-traces";

export const ApplyRetentionInput = z.object({
  batchSize: z.number().int().min(1).max(2000).default(200),
  maxTraces: z.number().int().min(1).default(5000),
});
export type ApplyRetentionInput = z.input<typeof ApplyRetentionInput>;

/** Traces with a request time before this are past retention. */
export const retentionCutoff = (now: number, retentionDays: number) => now - retentionDays * DAY_MS;

interface Setting {
  experiment_id: number;
  enabled: number;
  retention_days: number;
  enabled_at: number | null;
}

// With archival on, only complete traces may go, and each is re-archived in the deleting
// transaction unless its archive copy is provably current: archived since archival was last
// enabled (from then on every change is queued by the triggers) and not queued since.
const VICTIMS = `SELECT t.trace_id AS traceId,
    CASE WHEN a.trace_id IS NULL OR q.trace_id IS NOT NULL OR a.archived_at < coalesce(@enabledAt, 0) THEN 1 ELSE 0 END AS stale
  FROM traces t
  LEFT JOIN archived_traces a ON a.trace_id = t.trace_id
  LEFT JOIN archive_queue q ON q.trace_id = t.trace_id
  WHERE t.experiment_id = @e AND t.request_time < @cutoff AND (@archival = 0 OR t.completed_at IS NOT NULL)
  ORDER BY t.request_time, t.trace_id LIMIT @n`;

/**
 * Deletes raw traces (spans, assessments) older than each experiment's retention. While archival
 * is on, a trace is deleted only in the same IMMEDIATE transaction that made sure its archive copy
 * holds its latest state, so no crash or race can lose one. Scores waiting in the metrics queue
 * are folded into the rollups before their assessments go; rollups keep what retention deletes.
 */
export function applyRetention({ ctx, input }: VerbArgs<ApplyRetentionInput>): { deleted: number; archived: number } {
  requireRole(ctx.actor, "admin");
  const i = ApplyRetentionInput.parse(input);
  const sqlite = ctx.db.$client;
  const settings = sqlite
    .prepare("SELECT experiment_id, enabled, retention_days, enabled_at FROM archive_settings WHERE retention_days IS NOT NULL ORDER BY experiment_id")
    .all() as Setting[];
  const victims = sqlite.prepare(VICTIMS);
  const queuedForMetrics = sqlite.prepare("SELECT 1 FROM metrics_queue WHERE trace_id = ?").pluck();
  const deletes = ["spans", "assessments", "traces", "archive_queue", "metrics_queue"].map((t) => sqlite.prepare(`DELETE FROM ${t} WHERE trace_id = ?`));
  let deleted = 0;
  let archived = 0;

  const batch = sqlite.transaction((s: Setting): number => {
    const now = ctx.now();
    // Re-read inside the transaction: archival may have been switched on since the list was read.
    const current = sqlite.prepare("SELECT enabled, enabled_at FROM archive_settings WHERE experiment_id = ?").get(s.experiment_id) as
      { enabled: number; enabled_at: number | null } | undefined;
    const archival = current?.enabled === 1 ? 1 : 0;
    const n = Math.min(i.batchSize, i.maxTraces - deleted);
    const rows = victims.all({ e: s.experiment_id, cutoff: retentionCutoff(now, s.retention_days), archival, enabledAt: current?.enabled_at ?? null, n }) as {
      traceId: string;
      stale: number;
    }[];
    if (archival) {
      const stale = rows.filter((r) => r.stale === 1).map((r) => r.traceId);
      const copied = archiveTraces(ctx.db, stale, now);
      // Every stale victim is complete (the query asks for it), so all were copied; fail loudly if not.
      if (copied.length !== stale.length) throw new Error("retention: a trace could not be archived; nothing deleted");
      archived += copied.length;
    }
    const ids = rows.map((r) => r.traceId);
    const keys = refreshTracePoints(
      sqlite,
      ids.filter((id) => queuedForMetrics.get(id)),
    );
    recomputeRollups(sqlite, keys.values(), now);
    for (const id of ids) for (const d of deletes) d.run(id);
    deleted += ids.length;
    return ids.length === n ? ids.length : 0;
  });

  for (const s of settings) {
    while (deleted < i.maxTraces && batch.immediate(s) > 0);
    if (deleted >= i.maxTraces) break;
  }
  return { deleted, archived };
}
