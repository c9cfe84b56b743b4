import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { applySampling } from "./apply-sampling";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField } from "./store";

export const StopScorerInput = z.object({ experiment_id: experimentIdField, name: nameField });
export type StopScorerInput = z.input<typeof StopScorerInput>;

/** MLflow's `scorer.stop()`: `update(sample_rate=0)`, keeping the filter. Clears a pause too. */
export function stopScorer({ ctx, input }: VerbArgs<StopScorerInput>): Scorer {
  const i = StopScorerInput.parse(input);
  return applySampling(ctx, { experimentId: i.experiment_id, name: i.name, next: { sampleRate: 0 }, mode: "stop" });
}
