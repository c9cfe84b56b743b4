import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { applySampling } from "./apply-sampling";
import { normalizeFilter, parseSampleRate } from "./lifecycle";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField } from "./store";

export const SetOnlineConfigInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  sample_rate: z.unknown().optional(), // checked by parseSampleRate, which names a missing or bad value
  filter_string: z.unknown().optional(),
});
export type SetOnlineConfigInput = z.input<typeof SetOnlineConfigInput>;

/**
 * MLflow's PUT scorers/online-config (upsert_online_scoring_config): sets the whole config, a
 * missing filter_string meaning "every trace". What it amounts to (start, stop or update)
 * decides the role, as for the SDK-style verbs, and what the audit log records.
 */
export function setOnlineConfig({ ctx, input }: VerbArgs<SetOnlineConfigInput>): Scorer {
  const i = SetOnlineConfigInput.parse(input);
  const sampleRate = parseSampleRate(i.sample_rate);
  const filterString = normalizeFilter(i.filter_string);
  return applySampling(ctx, { experimentId: i.experiment_id, name: i.name, next: { sampleRate, filterString }, mode: "put" });
}
