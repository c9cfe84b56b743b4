// Which registered scorers only Vigil can run: its TypeScript scorers and its code built-ins
// (classes MLflow does not have). When MLflow scores an experiment, Vigil still runs those, so no
// started scorer is left without anyone scoring it; everything else (MLflow's judges, instructions
// judges, Python @scorer functions, which Databricks runs online and Vigil cannot) is MLflow's.
import { MLFLOW_JUDGE_CLASSES } from "@/scorers";

export function vigilOnly(serialized: string): boolean {
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(serialized) as Record<string, unknown>;
  } catch {
    return false; // not a scorer Vigil can run either
  }
  if (s === null || typeof s !== "object") return false;
  if (s.vigil_scorer_module) return true;
  return typeof s.builtin_scorer_class === "string" && !MLFLOW_JUDGE_CLASSES.has(s.builtin_scorer_class);
}

/** Whether MLflow's side runs the scorer online when MLflow scores the experiment. */
export function mlflowRunsOnline(serialized: string): boolean {
  return !vigilOnly(serialized);
}

/** Whether Vigil runs this scorer online in an experiment scored by `scoredBy`. */
export function vigilRunsOnline(scoredBy: "vigil" | "mlflow", serialized: string): boolean {
  return scoredBy === "vigil" || !mlflowRunsOnline(serialized);
}
