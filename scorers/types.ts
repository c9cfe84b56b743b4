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
  /** Scores one trace (MLflow's trace-level scorers). */
  level: "trace";
  description: string;
  kind: ScorerKind;
  needs: readonly ScorerNeed[];
  params: z.ZodType<P>;
  score(input: ScorerInput, params: P, env: ScorerEnv): Promise<ScoreResult>;
}

/** One turn of a conversation: a trace of the session, in the order of the turns. */
export interface SessionTurn {
  traceId: string;
  /** The trace's timestamp (request time): turns are ordered by it, as MLflow orders them. */
  timeMs: number;
  inputs: unknown;
  outputs: unknown;
  trace: TraceData;
}

export interface SessionInput {
  /** Trace metadata `mlflow.trace.session`. */
  sessionId: string;
  /** The turns in order (the latest ones when the session is longer than the engine's cap). */
  turns: SessionTurn[];
  /** How many turns the session has in all (more than turns.length when capped). */
  totalTurns: number;
}

/** Scores a whole conversation (MLflow's `is_session_level_scorer`). */
export interface SessionScorerModule<P = unknown> {
  name: string;
  level: "session";
  description: string;
  kind: ScorerKind;
  params: z.ZodType<P>;
  score(input: SessionInput, params: P, env: ScorerEnv): Promise<ScoreResult>;
}

/** A trace scorer module regardless of its params type. */
export type AnyTraceScorerModule = ScorerModule<any>;
/** Any scorer module regardless of its params type and level (registries hold these). */
export type AnyScorerModule = ScorerModule<any> | SessionScorerModule<any>;

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
 *
 * and whole conversations with `level: "session"`: `score({ sessionId, turns }, params, env)`.
 */
interface TraceDef<S extends z.ZodType> {
  name: string;
  description: string;
  level?: "trace";
  kind?: ScorerKind;
  needs: readonly ScorerNeed[];
  params?: S;
  score(input: ScorerInput, params: z.output<S>, env: ScorerEnv): Promise<ScoreResult>;
}

/** A session scorer receives the ordered turns (inputs, outputs, traces) of one conversation. */
interface SessionDef<S extends z.ZodType> {
  name: string;
  description: string;
  level: "session";
  kind?: ScorerKind;
  params?: S;
  score(input: SessionInput, params: z.output<S>, env: ScorerEnv): Promise<ScoreResult>;
}

export function defineScorer<S extends z.ZodType = typeof noParams>(def: SessionDef<S>): SessionScorerModule<z.output<S>>;
export function defineScorer<S extends z.ZodType = typeof noParams>(def: TraceDef<S>): ScorerModule<z.output<S>>;
export function defineScorer<S extends z.ZodType>(def: TraceDef<S> | SessionDef<S>): AnyScorerModule {
  if (!def.name.trim()) throw new Error("defineScorer: name is required");
  const common = {
    name: def.name,
    description: def.description,
    kind: def.kind ?? "code",
    params: (def.params ?? noParams) as unknown as z.ZodType<z.output<S>>,
  };
  if (def.level === "session") return { ...common, level: "session", score: def.score };
  return { ...common, level: "trace", needs: def.needs, score: def.score };
}

/** Both verdicts of a pass/fail check. */
export const yesNo = (passed: boolean): "yes" | "no" => (passed ? "yes" : "no");
