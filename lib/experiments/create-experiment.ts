import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { experiments } from "@/db/schema";
import { AlreadyExistsError, InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";

export const CreateExperimentInput = z.object({
  name: z.string(),
  artifact_location: z.string().optional(),
  tags: z.array(z.object({ key: z.string().min(1), value: z.string().default("") })).default([]),
});
export type CreateExperimentInput = z.input<typeof CreateExperimentInput>;

/** MLflow's CreateExperiment: a unique name (deleted experiments keep theirs), new id = max + 1. */
export function createExperiment({ ctx, input }: VerbArgs<CreateExperimentInput>): { experiment_id: string } {
  requireRole(ctx.actor, "operator");
  const i = CreateExperimentInput.parse(input);
  const name = i.name.trim();
  if (!name) throw new InvalidParameterError("Invalid experiment name: ''. Experiment name cannot be empty.");
  const now = ctx.now();
  return ctx.db.transaction((tx) => {
    const existing = tx.select().from(experiments).where(eq(experiments.name, name)).get();
    if (existing) {
      const hint = existing.lifecycleStage === "deleted" ? " in deleted state; restore it or permanently delete it first" : "";
      throw new AlreadyExistsError(`Experiment(name=${name}) already exists${hint}.`);
    }
    const max = tx
      .select({ max: sql<number | null>`max(${experiments.experimentId})` })
      .from(experiments)
      .get();
    const experimentId = (max?.max ?? -1) + 1;
    tx.insert(experiments)
      .values({
        experimentId,
        name,
        artifactLocation: i.artifact_location ?? "",
        tags: JSON.stringify(Object.fromEntries(i.tags.map((t) => [t.key, t.value]))),
        creationTime: now,
        lastUpdateTime: now,
      })
      .run();
    return { experiment_id: String(experimentId) };
  });
}
