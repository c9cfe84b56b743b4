import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { checkTransition, ROLE_FOR_ACTION } from "./lifecycle";
import { samplingSnapshot, type Scorer } from "./scorer-value";
import { experimentIdField, nameField, readScorer, requireScorerRow, requireWriter, writeConfig } from "./store";

export const ResumeScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  reason: z.string().trim().max(1000).optional(),
});
export type ResumeScorerInput = z.input<typeof ResumeScorerInput>;

/** Vigil's resume (operator): clears the pause; the kept rate and filter apply again. */
export function resumeScorer({ ctx, input }: VerbArgs<ResumeScorerInput>): Scorer {
  const i = ResumeScorerInput.parse(input);
  requireWriter(ctx, ROLE_FOR_ACTION.resume, i.experiment_id);
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const before = readScorer(ctx.db, row);
    checkTransition("resume", before.status, i.name);
    writeConfig(ctx.db, row.scorerId, { pause: null }, ctx.now());
    const after = readScorer(ctx.db, row);
    recordAudit(ctx, {
      action: "scorer.resume",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, ...samplingSnapshot(before) },
      after: { name: row.name, ...samplingSnapshot(after) },
      reason: i.reason || null,
    });
    return after;
  });
}
