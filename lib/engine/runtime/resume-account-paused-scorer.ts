import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getScorerRuntime, type ScorerRuntime } from "./get-scorer-runtime";
import { requireEngineScorer } from "./runtime-lookup";

export const ResumeAccountPausedScorerInput = z.object({
  experimentId: experimentIdString,
  scorerName: z.string().min(1),
  reason: z.string().max(500).optional(),
});
export type ResumeAccountPausedScorerInput = z.input<typeof ResumeAccountPausedScorerInput>;

/**
 * Lifts the engine's pause after an account error (bad key, quota), once the operator has fixed
 * it: the scorer samples again and its held queue runs. A scorer that is not paused is left as is.
 */
export function resumeAccountPausedScorer({ ctx, input }: VerbArgs<ResumeAccountPausedScorerInput>): ScorerRuntime {
  const i = ResumeAccountPausedScorerInput.parse(input);
  requireRole(ctx.actor, "operator", i.experimentId);
  ctx.db.transaction(
    () => {
      const s = requireEngineScorer(ctx.db, i.experimentId, i.scorerName);
      if (!s.accountPausedReason) return;
      ctx.db.$client
        .prepare("UPDATE engine_scorer_runtime SET account_paused_reason = NULL, account_paused_at = NULL, updated_at = ? WHERE scorer_id = ?")
        .run(ctx.now(), s.scorerId);
      recordAudit(ctx, {
        action: "scorer.resume_account_pause",
        entityType: "scorer",
        entityId: s.scorerId,
        experimentId: i.experimentId,
        before: { account_paused_reason: s.accountPausedReason },
        after: { account_paused_reason: null },
        reason: i.reason,
      });
    },
    { behavior: "immediate" },
  );
  return getScorerRuntime({ ctx, input: { experimentId: i.experimentId, scorerName: i.scorerName } });
}
