import { eq } from "drizzle-orm";
import { z } from "zod";
import { runs } from "@/db/schema";
import type { VerbArgs } from "@/lib/core";
import { RunIdInput, jsonMap, writeActiveRun } from "./run-json";
import { TagList } from "./run-values";

const Dataset = z.object({
  name: z.string().min(1).max(500),
  digest: z.string().min(1).max(36),
  source_type: z.string().min(1),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
const Inputs = z.object({
  datasets: z.array(z.object({ tags: TagList.default([]), dataset: Dataset })).default([]),
  models: z.array(z.object({ model_id: z.string() })).default([]),
});
export type LogInputsInput = z.input<typeof Inputs> & { run_id?: string };

/**
 * MLflow's LogInputs (mlflow.genai.evaluate logs its evaluation dataset this way): dataset inputs
 * are kept once per (name, digest). Model inputs are accepted; Vigil keeps no logged models.
 */
export function logInputs({ ctx, input }: VerbArgs<LogInputsInput>): Record<string, never> {
  const runId = RunIdInput.parse(input);
  const i = Inputs.parse(input);
  writeActiveRun(ctx, runId, (row) => {
    const have = jsonMap<z.output<typeof Inputs>["datasets"]>(row.datasetInputs, []);
    for (const d of i.datasets) {
      if (!have.some((h) => h.dataset.name === d.dataset.name && h.dataset.digest === d.dataset.digest)) have.push(d);
    }
    ctx.db
      .update(runs)
      .set({ datasetInputs: JSON.stringify(have) })
      .where(eq(runs.runId, runId))
      .run();
  });
  return {};
}
