import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { InvalidStateError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getExperimentRow } from "./experiment-json";

// MLflow's limits (utils/validation.py: MAX_EXPERIMENT_TAG_KEY_LENGTH, MAX_EXPERIMENT_TAG_VAL_LENGTH).
const key = z.string().min(1, "must not be empty").max(250, "is longer than 250 characters");

export const SetExperimentTagInput = z.object({
  experiment_id: experimentIdString,
  key,
  value: z.string().max(5000, "is longer than 5000 characters").default(""),
});
export type SetExperimentTagInput = z.input<typeof SetExperimentTagInput>;

export const DeleteExperimentTagInput = z.object({ experiment_id: experimentIdString, key });
export type DeleteExperimentTagInput = z.input<typeof DeleteExperimentTagInput>;

const path = (k: string) => `$.${JSON.stringify(k)}`;

function requireActive(ctx: VerbArgs<unknown>["ctx"], id: number): Record<string, unknown> {
  const row = getExperimentRow(ctx.db, id);
  if (row.lifecycleStage !== "active")
    throw new InvalidStateError(`The experiment ${id} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  try {
    return JSON.parse(row.tags) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** MLflow's SetExperimentTag: upserts one tag of an active experiment. */
export function setExperimentTag({ ctx, input }: VerbArgs<SetExperimentTagInput>): Record<string, never> {
  const i = SetExperimentTagInput.parse(input);
  requireRole(ctx.actor, "operator", i.experiment_id);
  ctx.db.transaction(() => {
    requireActive(ctx, i.experiment_id);
    ctx.db
      .update(experiments)
      .set({ tags: sql`json_set(${experiments.tags}, ${path(i.key)}, ${i.value})`, lastUpdateTime: ctx.now() })
      .where(eq(experiments.experimentId, i.experiment_id))
      .run();
  });
  return {};
}

/** MLflow's DeleteExperimentTag: RESOURCE_DOES_NOT_EXIST when the experiment has no such tag. */
export function deleteExperimentTag({ ctx, input }: VerbArgs<DeleteExperimentTagInput>): Record<string, never> {
  const i = DeleteExperimentTagInput.parse(input);
  requireRole(ctx.actor, "operator", i.experiment_id);
  ctx.db.transaction(() => {
    const tags = requireActive(ctx, i.experiment_id);
    if (!(i.key in tags)) throw new NotFoundError(`No tag with name: ${i.key} in experiment with id ${i.experiment_id}`);
    ctx.db
      .update(experiments)
      .set({ tags: sql`json_remove(${experiments.tags}, ${path(i.key)})`, lastUpdateTime: ctx.now() })
      .where(eq(experiments.experimentId, i.experiment_id))
      .run();
  });
  return {};
}
