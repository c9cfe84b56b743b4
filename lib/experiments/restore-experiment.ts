import { eq } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { getExperimentRow } from "./experiment-json";

export const RestoreExperimentInput = z.object({ experiment_id: experimentIdString });
export type RestoreExperimentInput = z.input<typeof RestoreExperimentInput>;

export function restoreExperiment({ ctx, input }: VerbArgs<RestoreExperimentInput>): Record<string, never> {
  const { experiment_id } = RestoreExperimentInput.parse(input);
  requireRole(ctx.actor, "admin", experiment_id);
  getExperimentRow(ctx.db, experiment_id);
  ctx.db.update(experiments).set({ lifecycleStage: "active", lastUpdateTime: ctx.now() }).where(eq(experiments.experimentId, experiment_id)).run();
  return {};
}
