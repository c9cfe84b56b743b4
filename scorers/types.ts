// The contract every scorer Vigil runs follows, modelled on MLflow's `@scorer`: a scorer asks for
// a subset of inputs / outputs / expectations / trace and returns a feedback value with a reason.
import { z } from "zod";
import type { FeedbackValue, TraceData } from "@/lib/mlflow/types";

export const SCORER_NEEDS = ["inputs", "outputs", "expectations", "trace"] as const;
export type ScorerNeed = (typeof SCORER_NEEDS)[number];
export type ScorerKind = "code" | "judge";

export interface ScorerInput {
  /** Root span inputs (decoded JSON), as MLflow passes `inputs`. */
  inputs: unknown;
  /** Root span outputs (decoded JSON), as MLflow passes `outputs`. */
  outputs: unknown;
  /** Expectation name -> value (from the trace's expectation assessments or a dev example). */
  expectations: Record<string, unknown>;
  trace: TraceData;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  model: string;
}

export interface ScoreResult {
  /** "yes"/"no" for pass/fail checks (yes always means the check passed), or a number, boolean, string. */
  value: FeedbackValue;
  rationale: string;
  metadata?: Record<string, string>;
  usage?: TokenUsage;
}

export interface JudgeSettings {
  /** OpenAI-compatible base URL, e.g. https://api.openai.com/v1 (we POST {baseUrl}/chat/completions). */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

/** What a scorer may use from the outside world; tests inject both. */
export interface ScorerEnv {
  fetch: typeof fetch;
  judge?: JudgeSettings;
}

export interface ScorerModule<P = unknown> {
  /** Class name for built-ins (MLflow's `builtin_scorer_class`), module name for team scorers. */
  name: string;
  description: string;
  kind: ScorerKind;
  needs: readonly ScorerNeed[];
  params: z.ZodType<P>;
  score(input: ScorerInput, params: P, env: ScorerEnv): Promise<ScoreResult>;
}

/** Any scorer module regardless of its params type (registries hold these). */
export type AnyScorerModule = ScorerModule<any>;

// Unknown keys are stripped, not rejected: MLflow's pydantic data carries extra fields (name, aggregations...).
const noParams = z.object({});

/**
 * Defines a scorer module. Teams use this for their own TypeScript scorers:
 *
 *   export default defineScorer({
 *     name: "polite-closing", description: "...", needs: ["outputs"],
 *     params: z.object({ ... }),
 *     async score({ outputs }, params) { return { value: "yes", rationale: "..." }; },
 *   });
 */
export function defineScorer<S extends z.ZodType = typeof noParams>(def: {
  name: string;
  description: string;
  kind?: ScorerKind;
  needs: readonly ScorerNeed[];
  params?: S;
  score(input: ScorerInput, params: z.output<S>, env: ScorerEnv): Promise<ScoreResult>;
}): ScorerModule<z.output<S>> {
  if (!def.name.trim()) throw new Error("defineScorer: name is required");
  return {
    name: def.name,
    description: def.description,
    kind: def.kind ?? "code",
    needs: def.needs,
    params: (def.params ?? noParams) as unknown as z.ZodType<z.output<S>>,
    score: def.score,
  };
}

/** Both verdicts of a pass/fail check. */
export const yesNo = (passed: boolean): "yes" | "no" => (passed ? "yes" : "no");
