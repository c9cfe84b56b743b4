import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { recomputeRollups, refreshTracePoints, type RollupKey } from "./refresh-points";

export const ProcessMetricsQueueInput = z.object({
  /** Traces per transaction: small enough not to hold the write lock for long. */
  batchSize: z.number().int().min(1).max(5000).default(200),
  /** Upper bound per call, so one tick cannot starve the worker's other duties. */
  maxTraces: z.number().int().min(1).default(5000),
});
export type ProcessMetricsQueueInput = z.input<typeof ProcessMetricsQueueInput>;

/**
 * Drains the metrics queue (filled by triggers on assessments): each batch refreshes the points
 * of its traces and recomputes the touched buckets, and removes its queue rows, in one IMMEDIATE
 * transaction, so a change written meanwhile by another process is either seen or stays queued.
 */
export function processMetricsQueue({ ctx, input }: VerbArgs<ProcessMetricsQueueInput>): { traces: number; buckets: number } {
  requireRole(ctx.actor, "admin");
  const i = ProcessMetricsQueueInput.parse(input);
  const sqlite = ctx.db.$client;
  // Rowid order is arrival order, without sorting a queue that a bulk write may have made long.
  const next = sqlite.prepare("SELECT trace_id FROM metrics_queue ORDER BY rowid LIMIT ?").pluck();
  const dequeue = sqlite.prepare("DELETE FROM metrics_queue WHERE trace_id = ?");
  let traces = 0;
  let buckets = 0;
  const batch = sqlite.transaction(() => {
    const ids = next.all(Math.min(i.batchSize, i.maxTraces - traces)) as string[];
    const keys: Map<string, RollupKey> = refreshTracePoints(sqlite, ids);
    buckets += recomputeRollups(sqlite, keys.values(), ctx.now());
    for (const id of ids) dequeue.run(id);
    traces += ids.length;
    return ids.length;
  });
  while (traces < i.maxTraces && batch.immediate() > 0);
  return { traces, buckets };
}
