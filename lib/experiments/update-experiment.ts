import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { AlreadyExistsError, InvalidParameterError, InvalidStateError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getExperimentRow } from "./experiment-json";

export const UpdateExperimentInput = z.object({ experiment_id: experimentIdString, new_name: z.string() });
export type UpdateExperimentInput = z.input<typeof UpdateExperimentInput>;

/** MLflow's UpdateExperiment renames; the new name must be unique and the experiment active. */
export function updateExperiment({ ctx, input }: VerbArgs<UpdateExperimentInput>): Record<string, never> {
  const i = UpdateExperimentInput.parse(input);
  requireRole(ctx.actor, "operator", i.experiment_id);
  const name = i.new_name.trim();
  if (!name) throw new InvalidParameterError("Invalid experiment name: ''. Experiment name cannot be empty.");
  // One connection, synchronous driver: reads through ctx.db run inside this transaction.
  ctx.db.transaction((tx) => {
    const row = getExperimentRow(ctx.db, i.experiment_id);
    if (row.lifecycleStage !== "active") throw new InvalidStateError("Cannot rename a non-active experiment.");
    const clash = tx
      .select({ id: experiments.experimentId })
      .from(experiments)
      .where(and(eq(experiments.name, name), ne(experiments.experimentId, i.experiment_id)))
      .get();
    if (clash) throw new AlreadyExistsError(`Experiment(name=${name}) already exists.`);
    tx.update(experiments).set({ name, lastUpdateTime: ctx.now() }).where(eq(experiments.experimentId, i.experiment_id)).run();
  });
  return {};
}
