import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField, readScorer, requireReader, requireScorerRow, versionField } from "./store";

export const GetScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  /** Left out: the latest version. */
  version: versionField.optional(),
});
export type GetScorerInput = z.input<typeof GetScorerInput>;

/** MLflow's GetScorer: one version, the latest by default. */
export function getScorer({ ctx, input }: VerbArgs<GetScorerInput>): Scorer {
  const i = GetScorerInput.parse(input);
  requireReader(ctx, i.experiment_id);
  return readScorer(ctx.db, requireScorerRow(ctx.db, i.experiment_id, i.name), i.version);
}
