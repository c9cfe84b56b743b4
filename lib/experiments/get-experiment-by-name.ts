import { eq } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { NotFoundError, type VerbArgs } from "@/lib/core";
import { experimentFromRow, requireExperimentReader, type ExperimentJson } from "./experiment-json";

export const GetExperimentByNameInput = z.object({ experiment_name: z.string().min(1) });
export type GetExperimentByNameInput = z.input<typeof GetExperimentByNameInput>;

export function getExperimentByName({ ctx, input }: VerbArgs<GetExperimentByNameInput>): { experiment: ExperimentJson } {
  const { experiment_name } = GetExperimentByNameInput.parse(input);
  requireExperimentReader(ctx.actor);
  // Names are unique across active and deleted experiments here, so there is at most one.
  const row = ctx.db.select().from(experiments).where(eq(experiments.name, experiment_name)).get();
  if (!row) throw new NotFoundError(`Could not find experiment with name '${experiment_name}'`);
  requireExperimentReader(ctx.actor, row.experimentId);
  return { experiment: experimentFromRow(row) };
}
