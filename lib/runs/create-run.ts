import { z } from "zod";
import { runs } from "@/db/schema";
import { newHex, requireRole, type VerbArgs } from "@/lib/core";
import { experimentArtifactRoot, requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { experimentIdString, int64 } from "@/lib/mlflow/proto-json";
import { RUN_NAME_TAG, requireRunRow, runFromRow, type RunJson } from "./run-json";
import { TagList } from "./run-values";

export const CreateRunInput = z.object({
  experiment_id: experimentIdString.default(0),
  user_id: z.string().max(256).optional(),
  start_time: int64.optional(),
  run_name: z.string().max(250).optional(),
  tags: TagList.default([]),
});
export type CreateRunInput = z.input<typeof CreateRunInput>;

/**
 * MLflow's CreateRun (mlflow.start_run, which mlflow.genai.evaluate opens): a RUNNING run whose
 * name comes from run_name or the mlflow.runName tag, kept in both (sqlalchemy_store.create_run).
 */
export function createRun({ ctx, input }: VerbArgs<CreateRunInput>): { run: RunJson } {
  const i = CreateRunInput.parse(input);
  requireRole(ctx.actor, "operator", i.experiment_id);
  const exp = requireActiveExperiment(ctx.db, i.experiment_id);
  const tags = Object.fromEntries(i.tags.map((t) => [t.key, t.value]));
  const runId = newHex();
  const runName = i.run_name || tags[RUN_NAME_TAG] || `run-${runId.slice(0, 8)}`;
  tags[RUN_NAME_TAG] = runName;
  ctx.db
    .insert(runs)
    .values({
      runId,
      experimentId: i.experiment_id,
      runName,
      userId: i.user_id ?? "",
      startTime: i.start_time ?? ctx.now(),
      artifactUri: `${experimentArtifactRoot(exp)}/${runId}/artifacts`,
      tags: JSON.stringify(tags),
    })
    .run();
  return { run: runFromRow(requireRunRow(ctx.db, runId)) };
}
