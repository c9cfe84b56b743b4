import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { archiveTraces } from "./archive-traces";

export const ProcessArchiveQueueInput = z.object({
  batchSize: z.number().int().min(1).max(2000).default(200),
  maxTraces: z.number().int().min(1).default(2000),
});
export type ProcessArchiveQueueInput = z.input<typeof ProcessArchiveQueueInput>;

/**
 * Drains the archive queue (filled by triggers while archival is on): complete traces are copied
 * with their current spans and assessments; entries of missing or incomplete traces, or of
 * experiments whose archival was turned off, are dropped (a trace's completion enqueues it again).
 * Each batch and its dequeue commit together in an IMMEDIATE transaction.
 */
export function processArchiveQueue({ ctx, input }: VerbArgs<ProcessArchiveQueueInput>): { archived: number; dropped: number } {
  requireRole(ctx.actor, "admin");
  const i = ProcessArchiveQueueInput.parse(input);
  const sqlite = ctx.db.$client;
  const next = sqlite.prepare(
    `SELECT q.trace_id AS traceId, coalesce(s.enabled, 0) AS enabled FROM archive_queue q
     LEFT JOIN archive_settings s ON s.experiment_id = q.experiment_id
     ORDER BY q.rowid LIMIT ?`,
  );
  const dequeue = sqlite.prepare("DELETE FROM archive_queue WHERE trace_id = ?");
  let seen = 0;
  let archived = 0;
  const batch = sqlite.transaction(() => {
    const rows = next.all(Math.min(i.batchSize, i.maxTraces - seen)) as { traceId: string; enabled: number }[];
    archived += archiveTraces(
      ctx.db,
      rows.filter((r) => r.enabled === 1).map((r) => r.traceId),
      ctx.now(),
    ).length;
    for (const r of rows) dequeue.run(r.traceId);
    seen += rows.length;
    return rows.length;
  });
  while (seen < i.maxTraces && batch.immediate() > 0);
  return { archived, dropped: seen - archived };
}
