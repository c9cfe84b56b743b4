// Which registered scorers MLflow's own online scoring can run: its built-in judges and
// instructions judges. Vigil's TypeScript scorers and code built-ins are Vigil's alone, and
// MLflow OSS does not run decorated (@scorer) functions online. When MLflow scores an
// experiment, Vigil still runs those, so no started scorer is left without anyone scoring it.

/** MLflow's built-in judge classes (MLFLOW.md, "Built-in judges"). */
export const MLFLOW_BUILTIN_JUDGES: ReadonlySet<string> = new Set([
  "Safety",
  "RelevanceToQuery",
  "Guidelines",
  "ExpectationsGuidelines",
  "Correctness",
  "Completeness",
  "Fluency",
  "Equivalence",
  "RetrievalGroundedness",
  "RetrievalRelevance",
  "RetrievalSufficiency",
  "ToolCallCorrectness",
  "ToolCallEfficiency",
  "ConversationCompleteness",
  "UserFrustration",
]);

export function mlflowRunsOnline(serialized: string): boolean {
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(serialized) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (s === null || typeof s !== "object") return false;
  if (s.instructions_judge_pydantic_data) return true;
  return typeof s.builtin_scorer_class === "string" && MLFLOW_BUILTIN_JUDGES.has(s.builtin_scorer_class);
}

/** Whether Vigil runs this scorer online in an experiment scored by `scoredBy`. */
export function vigilRunsOnline(scoredBy: "vigil" | "mlflow", serialized: string): boolean {
  return scoredBy === "vigil" || !mlflowRunsOnline(serialized);
}
