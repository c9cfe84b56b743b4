import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";

export const GetFunnelSummaryInput = z.object({
  experimentId: experimentIdString,
  name: z.string().min(1),
  from: z.number().int(),
  to: z.number().int(),
});
export type GetFunnelSummaryInput = z.input<typeof GetFunnelSummaryInput>;

export interface FunnelSummary {
  from: number;
  to: number;
  stages: { matched: number; sampled: number; scored: number; failed: number; skipped: number; retried: number };
  /** Failures and skips by reason, largest first. */
  reasons: { stage: "failed" | "skipped" | "retried"; reason: string; count: number }[];
}

/**
 * The engine's funnel counters of one scorer summed over [from, to) (hour buckets of the
 * traces' time): matched by the filter → sampled → scored / failed / skipped, with reasons.
 */
export function getFunnelSummary({ ctx, input }: VerbArgs<GetFunnelSummaryInput>): FunnelSummary {
  const i = GetFunnelSummaryInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const rows = ctx.db.$client
    .prepare(
      `SELECT stage, reason, SUM(count) AS n FROM engine_funnel
       WHERE experiment_id = ? AND scorer_name = ? AND bucket_ms >= ? AND bucket_ms < ? GROUP BY stage, reason`,
    )
    .all(i.experimentId, i.name, i.from, i.to) as { stage: keyof FunnelSummary["stages"]; reason: string; n: number }[];
  const stages = { matched: 0, sampled: 0, scored: 0, failed: 0, skipped: 0, retried: 0 };
  const reasons: FunnelSummary["reasons"] = [];
  for (const r of rows) {
    if (!(r.stage in stages)) continue;
    stages[r.stage] += r.n;
    if ((r.stage === "failed" || r.stage === "skipped" || r.stage === "retried") && r.reason) {
      reasons.push({ stage: r.stage, reason: r.reason, count: r.n });
    }
  }
  reasons.sort((a, b) => b.count - a.count);
  return { from: i.from, to: i.to, stages, reasons };
}
