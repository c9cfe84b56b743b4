import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { checkTransition, ROLE_FOR_ACTION } from "./lifecycle";
import { samplingSnapshot, type Scorer } from "./scorer-value";
import { experimentIdField, nameField, readScorer, requireScorerRow, requireWriter, writeConfig } from "./store";

export const PauseScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  reason: z.string().trim().max(1000).optional(),
});
export type PauseScorerInput = z.input<typeof PauseScorerInput>;

export const DEFAULT_PAUSE_REASON = "Paused by an operator.";

/**
 * Vigil's pause (operator): stop sampling now but keep the rate, so resume restores exactly what
 * ran before. The status reads PAUSED with the reason; the engine also pauses scorers itself on
 * account-level failures (bad key, quota), with the failure as the reason.
 */
export function pauseScorer({ ctx, input }: VerbArgs<PauseScorerInput>): Scorer {
  const i = PauseScorerInput.parse(input);
  requireWriter(ctx, ROLE_FOR_ACTION.pause, i.experiment_id);
  const reason = i.reason || DEFAULT_PAUSE_REASON;
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const before = readScorer(ctx.db, row);
    checkTransition("pause", before.status, i.name);
    writeConfig(ctx.db, row.scorerId, { pause: { reason, actor: ctx.actor } }, ctx.now());
    const after = readScorer(ctx.db, row);
    recordAudit(ctx, {
      action: "scorer.pause",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, ...samplingSnapshot(before) },
      after: { name: row.name, ...samplingSnapshot(after) },
      reason,
    });
    return after;
  });
}
