import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getScorerRuntime, type ScorerRuntime } from "./get-scorer-runtime";
import { ensureRuntimeRow, requireEngineScorer } from "./runtime-lookup";

export const SetScorerBudgetInput = z.object({
  experimentId: experimentIdString,
  scorerName: z.string().min(1),
  /** Estimated USD per UTC day for this scorer's LLM judge calls; null removes the limit. */
  dailyBudgetUsd: z.number().min(0, "must be 0 or more").max(1_000_000).nullable(),
  reason: z.string().max(500).optional(),
});
export type SetScorerBudgetInput = z.input<typeof SetScorerBudgetInput>;

/** Sets a scorer's daily budget. Once today's estimated spend reaches it, the scorer stops sampling until the next UTC day. */
export function setScorerBudget({ ctx, input }: VerbArgs<SetScorerBudgetInput>): ScorerRuntime {
  const i = SetScorerBudgetInput.parse(input);
  requireRole(ctx.actor, "admin", i.experimentId);
  ctx.db.transaction(
    () => {
      const s = requireEngineScorer(ctx.db, i.experimentId, i.scorerName);
      const now = ctx.now();
      ensureRuntimeRow(ctx.db, s, now);
      ctx.db.$client
        .prepare("UPDATE engine_scorer_runtime SET daily_budget_usd = ?, updated_at = ? WHERE scorer_id = ?")
        .run(i.dailyBudgetUsd, now, s.scorerId);
      recordAudit(ctx, {
        action: "scorer.set_budget",
        entityType: "scorer",
        entityId: s.scorerId,
        experimentId: i.experimentId,
        before: { daily_budget_usd: s.dailyBudgetUsd },
        after: { daily_budget_usd: i.dailyBudgetUsd },
        reason: i.reason,
      });
    },
    { behavior: "immediate" },
  );
  return getScorerRuntime({ ctx, input: { experimentId: i.experimentId, scorerName: i.scorerName } });
}
