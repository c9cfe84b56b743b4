"use server";
// The home page's one action: create an experiment (MLflow's CreateExperiment), one lib verb.
import { revalidatePath } from "next/cache";
import { createExperiment } from "@/lib/experiments";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function createExperimentAction(input: { name: string; description: string }): Promise<ActionResult<{ experiment_id: string }>> {
  const ctx = await getRequestCtx();
  const tags = input.description.trim() ? [{ key: "mlflow.note.content", value: input.description.trim() }] : [];
  const r = await runAction(() => createExperiment({ ctx, input: { name: input.name, tags } }));
  revalidatePath("/");
  return r;
}
