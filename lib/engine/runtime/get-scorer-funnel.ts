import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { HOUR_MS, hourBucket } from "../funnel-tally";

export const GetScorerFunnelInput = z.object({
  experimentId: experimentIdString,
  scorerName: z.string().min(1),
  /** ms since the epoch; default: 24 hours before `end`. */
  start: z.number().int().min(0).optional(),
  /** ms since the epoch, exclusive; default: now. */
  end: z.number().int().min(0).optional(),
});
export type GetScorerFunnelInput = z.input<typeof GetScorerFunnelInput>;

export interface FunnelCounts {
  matched: number;
  sampled: number;
  scored: number;
  failed: number;
  skipped: number;
  retried: number;
}

export interface ScorerFunnel extends FunnelCounts {
  experimentId: string;
  scorerName: string;
  start: number;
  end: number;
  /** Sampled pairs still queued for online scoring (judges, retries, paused scorers). */
  pending: number;
  failedByReason: Record<string, number>;
  skippedByReason: Record<string, number>;
  retriedByReason: Record<string, number>;
  /** One entry per hour that has counts, oldest first. */
  buckets: ({ bucketMs: number } & FunnelCounts)[];
}

const zero = (): FunnelCounts => ({ matched: 0, sampled: 0, scored: 0, failed: 0, skipped: 0, retried: 0 });

/**
 * Online scoring's funnel for one scorer, by trace timestamp: traces matched by its filter,
 * sampled, scored, failed and skipped (by reason), retries, and what is still queued.
 * Reads hourly counters (start is rounded down to its hour), so a month costs ~720 rows.
 */
export function getScorerFunnel({ ctx, input }: VerbArgs<GetScorerFunnelInput>): ScorerFunnel {
  const i = GetScorerFunnelInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const end = i.end ?? ctx.now();
  const start = i.start ?? end - 24 * HOUR_MS;
  const rows = ctx.db.$client
    .prepare(
      `SELECT bucket_ms, stage, reason, SUM(count) AS n FROM engine_funnel
       WHERE experiment_id = ? AND scorer_name = ? AND bucket_ms >= ? AND bucket_ms < ?
       GROUP BY bucket_ms, stage, reason ORDER BY bucket_ms`,
    )
    .all(i.experimentId, i.scorerName, hourBucket(start), end) as { bucket_ms: number; stage: keyof FunnelCounts; reason: string; n: number }[];
  const total = zero();
  const byReason = { failed: {} as Record<string, number>, skipped: {} as Record<string, number>, retried: {} as Record<string, number> };
  const buckets = new Map<number, { bucketMs: number } & FunnelCounts>();
  for (const r of rows) {
    total[r.stage] += r.n;
    if (r.stage === "failed" || r.stage === "skipped" || r.stage === "retried") byReason[r.stage][r.reason] = (byReason[r.stage][r.reason] ?? 0) + r.n;
    let b = buckets.get(r.bucket_ms);
    if (!b) buckets.set(r.bucket_ms, (b = { bucketMs: r.bucket_ms, ...zero() }));
    b[r.stage] += r.n;
  }
  const pending = ctx.db.$client
    .prepare(
      `SELECT COUNT(*) AS n FROM engine_tasks t JOIN scorers s ON s.scorer_id = t.scorer_id
       WHERE s.experiment_id = ? AND s.name = ? AND t.job_id IS NULL AND t.trace_time_ms >= ? AND t.trace_time_ms < ?`,
    )
    .get(i.experimentId, i.scorerName, hourBucket(start), end) as { n: number };
  return {
    experimentId: String(i.experimentId),
    scorerName: i.scorerName,
    start,
    end,
    ...total,
    pending: pending.n,
    failedByReason: byReason.failed,
    skippedByReason: byReason.skipped,
    retriedByReason: byReason.retried,
    buckets: [...buckets.values()],
  };
}
