import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { listJobs } from "@/lib/engine/jobs";
import { getScorerOverview } from "@/lib/read/scorers/get-scorer-overview";
import { listExperimentOptions } from "@/lib/read/experiments/list-experiment-options";
import { attentionSorts, attentionTotals, rankAttention, type AttentionRow, type AttentionTotals } from "@/lib/read/attention/rank-attention";

export const GetAttentionOverviewInput = z.object({ sort: z.enum(attentionSorts).catch("attention").default("attention") });
export type GetAttentionOverviewInput = z.input<typeof GetAttentionOverviewInput>;

export interface AttentionOverview {
  at: number;
  sort: z.output<typeof GetAttentionOverviewInput>["sort"];
  rows: AttentionRow[];
  totals: AttentionTotals;
}

/** Every scorer of every experiment the actor may read, ranked for on-call, with totals and jobs in flight. */
export function getAttentionOverview({ ctx, input }: VerbArgs<GetAttentionOverviewInput>): AttentionOverview {
  const { sort } = GetAttentionOverviewInput.parse(input);
  requireRole(ctx.actor, "viewer");
  const rows: AttentionRow[] = [];
  for (const e of listExperimentOptions({ ctx, input: {} })) {
    const o = getScorerOverview({ ctx, input: { experimentId: e.experimentId } });
    for (const r of o.rows) {
      rows.push({
        experimentId: e.experimentId,
        experimentName: e.name,
        scorer: r.scorer,
        runtime: r.runtime,
        attention: r.attention,
        scores24h: r.health.scores24h,
        errors24h: r.health.errors24h,
        lagMs: r.scorer.status === "STARTED" ? r.runtime.lag.oldestWaitingMs : null,
      });
    }
  }
  const count = (status: "RUNNING" | "QUEUED") => listJobs({ ctx, input: { status, max_results: 1000 } }).jobs.length;
  return { at: ctx.now(), sort, rows: rankAttention(rows, sort), totals: attentionTotals(rows, { running: count("RUNNING"), queued: count("QUEUED") }) };
}
