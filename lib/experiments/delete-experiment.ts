import { eq } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getExperimentRow } from "./experiment-json";

export const DeleteExperimentInput = z.object({ experiment_id: experimentIdString });
export type DeleteExperimentInput = z.input<typeof DeleteExperimentInput>;

/** Soft delete, as MLflow does: the experiment keeps its traces and can be restored. */
export function deleteExperiment({ ctx, input }: VerbArgs<DeleteExperimentInput>): Record<string, never> {
  const { experiment_id } = DeleteExperimentInput.parse(input);
  requireRole(ctx.actor, "admin", experiment_id);
  if (experiment_id === 0) throw new InvalidParameterError("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
  getExperimentRow(ctx.db, experiment_id);
  ctx.db.update(experiments).set({ lifecycleStage: "deleted", lastUpdateTime: ctx.now() }).where(eq(experiments.experimentId, experiment_id)).run();
  return {};
}
