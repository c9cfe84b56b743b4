import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { applySampling } from "./apply-sampling";
import { normalizeFilter, parseSampleRate, requireStartRate } from "./lifecycle";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField } from "./store";

export const StartScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  sample_rate: z.unknown().optional(), // checked by parseSampleRate, which names a missing or bad value
  filter_string: z.unknown().optional(),
});
export type StartScorerInput = z.input<typeof StartScorerInput>;

/**
 * MLflow's `scorer.start(sampling_config)`: sample 0 < rate <= 1 of the traces matching the
 * filter. Needs operator; restarting a running scorer with another rate or filter is an update
 * and needs admin. A paused scorer takes the new config but stays paused until resumed.
 */
export function startScorer({ ctx, input }: VerbArgs<StartScorerInput>): Scorer {
  const i = StartScorerInput.parse(input);
  const sampleRate = requireStartRate(parseSampleRate(i.sample_rate));
  const filterString = normalizeFilter(i.filter_string);
  return applySampling(ctx, { experimentId: i.experiment_id, name: i.name, next: { sampleRate, filterString }, mode: "start" });
}
