import { z } from "zod";
import { InvalidParameterError, type VerbArgs } from "@/lib/core";
import { applySampling } from "./apply-sampling";
import { normalizeFilter, parseSampleRate } from "./lifecycle";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField } from "./store";

export const UpdateScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  /** Left out: keep the current rate. 0 stops the scorer. */
  sample_rate: z.unknown().optional(),
  /** Left out: keep the current filter; null or "": every trace. */
  filter_string: z.unknown().optional(),
});
export type UpdateScorerInput = z.input<typeof UpdateScorerInput>;

/** MLflow's `scorer.update(sampling_config)`: change the rate and/or filter. Admin only (it changes cost). */
export function updateScorer({ ctx, input }: VerbArgs<UpdateScorerInput>): Scorer {
  const i = UpdateScorerInput.parse(input);
  // undefined means "not given"; null or "" for the filter means "every trace".
  const hasRate = i.sample_rate !== undefined;
  const hasFilter = i.filter_string !== undefined;
  if (!hasRate && !hasFilter) throw new InvalidParameterError("Nothing to update: give sample_rate, filter_string or both.");
  return applySampling(ctx, {
    experimentId: i.experiment_id,
    name: i.name,
    next: {
      ...(hasRate ? { sampleRate: parseSampleRate(i.sample_rate) } : {}),
      ...(hasFilter ? { filterString: normalizeFilter(i.filter_string) } : {}),
    },
    mode: "update",
  });
}
