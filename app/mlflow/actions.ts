"use server";
// Server actions of the MLflow page: ctx, ONE lib verb, errors mapped for the form.
import { runAction, type ActionResult } from "@/lib/read/action-result";
import { setExperimentScoring } from "@/lib/remote/set-experiment-scoring";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function setScoredByAction(experimentId: string, scoredBy: string): Promise<ActionResult<{ experiment_id: string; scored_by: string }>> {
  const ctx = await getRequestCtx();
  // The verb parses scored_by itself: a tampered value comes back as a field error, not a crash.
  return runAction(
    () => setExperimentScoring({ ctx, input: { experiment_id: experimentId, scored_by: scoredBy as "vigil" | "mlflow" } }),
    undefined,
    ctx.actor,
  );
}
