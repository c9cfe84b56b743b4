// The single entry point for running a scorer module: validates params and the result, and turns
// every failure into a classified ScorerError, so the engine and evaluateExamples behave alike.
import { ScorerError, toScorerError } from "./errors";
import type { AnyScorerModule, ScoreResult, ScorerEnv, ScorerInput, SessionInput } from "./types";

function isFeedbackValue(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (depth > 8) return false;
  if (Array.isArray(v)) return v.every((x) => isFeedbackValue(x, depth + 1));
  if (typeof v === "object") return Object.values(v as object).every((x) => isFeedbackValue(x, depth + 1));
  return false;
}

/** Runs a trace scorer on one trace, or a session scorer on one conversation (the input must fit its level). */
export async function runScorer(scorer: AnyScorerModule, input: ScorerInput | SessionInput, rawParams: unknown, env: ScorerEnv): Promise<ScoreResult> {
  const parsed = scorer.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
    throw new ScorerError("permanent", `Invalid parameters for ${scorer.name}: ${issues}`);
  }
  const isSession = "turns" in input;
  if (isSession !== (scorer.level === "session")) {
    throw new ScorerError("permanent", `${scorer.name} is a ${scorer.level}-level scorer; it was given a ${isSession ? "session" : "trace"}.`);
  }
  let result: ScoreResult;
  try {
    result =
      scorer.level === "session" ? await scorer.score(input as SessionInput, parsed.data, env) : await scorer.score(input as ScorerInput, parsed.data, env);
  } catch (e) {
    throw toScorerError(e, `${scorer.name} failed`);
  }
  // Team scorers are plain code: check what they hand back before it becomes an assessment.
  if (!result || typeof result !== "object" || !isFeedbackValue(result.value) || result.value === undefined) {
    throw new ScorerError("permanent", `${scorer.name} returned no valid feedback value (number, boolean, string, or lists/maps of those).`);
  }
  if (typeof result.rationale !== "string") {
    throw new ScorerError("permanent", `${scorer.name} returned no rationale string.`);
  }
  const metadata = result.metadata
    ? Object.fromEntries(
        Object.entries(result.metadata)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      )
    : undefined;
  return { ...result, metadata };
}
