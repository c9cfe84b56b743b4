import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { experimentFromRow, getExperimentRow, requireExperimentReader, type ExperimentJson } from "./experiment-json";

export const GetExperimentInput = z.object({ experiment_id: experimentIdString });
export type GetExperimentInput = z.input<typeof GetExperimentInput>;

/** MLflow's GetExperiment: answers deleted experiments too (lifecycle_stage says so). */
export function getExperiment({ ctx, input }: VerbArgs<GetExperimentInput>): { experiment: ExperimentJson } {
  const { experiment_id } = GetExperimentInput.parse(input);
  requireExperimentReader(ctx.actor, experiment_id);
  return { experiment: experimentFromRow(getExperimentRow(ctx.db, experiment_id)) };
}
