// "Define once, use in both": run the same scorer modules over a dev list of examples that the
// engine runs over live traces, so a team can try a scorer before registering it.
import { ScorerError, type FailureKind } from "./errors";
import { runScorer } from "./run";
import { inputFromTrace } from "./trace";
import { buildTrace } from "./trace-builder";
import { sessionInput, TRACE_SESSION_KEY } from "./conversation";
import type { AnyScorerModule, ScoreResult, ScorerEnv, ScorerInput, SessionInput } from "./types";

export interface Example {
  inputs: unknown;
  outputs: unknown;
  expectations?: Record<string, unknown>;
}

/** A conversation for session scorers (`level: "session"`): its turns in order. */
export interface ConversationExample {
  sessionId?: string;
  turns: Example[];
}

/** A module with its params; `name` is the column name (defaults to the module's name). */
export type EvalScorer = AnyScorerModule | { scorer: AnyScorerModule; params?: unknown; name?: string };

export type ExampleOutcome = ScoreResult | { error: { kind: FailureKind; message: string } };

export interface ExampleResult {
  index: number;
  traceId: string;
  results: Record<string, ExampleOutcome>;
}

export interface Aggregate {
  count: number;
  errors: number;
  /** Share of "yes" among yes/no values (also true among booleans). */
  passRate: number | null;
  /** Mean, min, max of numeric values. */
  mean: number | null;
  min: number | null;
  max: number | null;
  promptTokens: number;
  completionTokens: number;
}

export interface EvaluationReport {
  examples: ExampleResult[];
  aggregates: Record<string, Aggregate>;
}

const normalize = (s: EvalScorer) =>
  "scorer" in s ? { scorer: s.scorer, params: s.params, name: s.name ?? s.scorer.name } : { scorer: s, params: undefined, name: s.name };

/** A minimal trace for a dev example: one CHAIN root span carrying its inputs and outputs. */
export function traceFromExample(example: Example, index: number) {
  return buildTrace({
    // A recognisable, valid trace id: "e7a1" (eval) then the example's index, 32 hex digits in all.
    traceId: `tr-e7a1${index.toString(16).padStart(28, "0")}`,
    root: { name: "example", type: "CHAIN", inputs: example.inputs, outputs: example.outputs, startMs: 0, endMs: 0 },
    expectations: example.expectations,
  });
}

function aggregate(values: ExampleOutcome[]): Aggregate {
  const ok = values.filter((v): v is ScoreResult => !("error" in v));
  const verdicts = ok.map((r) => r.value).filter((v): v is "yes" | "no" | boolean => v === "yes" || v === "no" || typeof v === "boolean");
  const numbers = ok.map((r) => r.value).filter((v): v is number => typeof v === "number");
  return {
    count: values.length,
    errors: values.length - ok.length,
    passRate: verdicts.length ? verdicts.filter((v) => v === "yes" || v === true).length / verdicts.length : null,
    mean: numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null,
    min: numbers.length ? Math.min(...numbers) : null,
    max: numbers.length ? Math.max(...numbers) : null,
    promptTokens: ok.reduce((a, r) => a + (r.usage?.promptTokens ?? 0), 0),
    completionTokens: ok.reduce((a, r) => a + (r.usage?.completionTokens ?? 0), 0),
  };
}

/**
 * Runs every scorer on every example, sequentially (dev sets are small and judges are rate
 * limited). A failing scorer is recorded for that example and does not stop the others.
 */
/** A conversation example as the engine would hand it to a session scorer: one trace per turn. */
export function sessionFromExample(example: ConversationExample, index: number): SessionInput {
  const sessionId = example.sessionId ?? `session-${index}`;
  const traces = example.turns.map((t, k) => {
    const trace = traceFromExample(t, index * 1000 + k);
    trace.info.trace_metadata = { ...trace.info.trace_metadata, [TRACE_SESSION_KEY]: sessionId };
    trace.info.request_time = new Date(k * 1000).toISOString();
    return trace;
  });
  return sessionInput(sessionId, traces);
}

const isConversation = (e: Example | ConversationExample): e is ConversationExample => Array.isArray((e as ConversationExample).turns);

/**
 * Trace scorers score single-turn examples; session scorers score conversation examples
 * (`{ turns: [...] }`). A scorer given the other kind records why for that example.
 */
export async function evaluateExamples(scorers: EvalScorer[], examples: (Example | ConversationExample)[], env: ScorerEnv): Promise<EvaluationReport> {
  const list = scorers.map(normalize);
  const names = new Set<string>();
  for (const s of list) {
    if (names.has(s.name)) throw new ScorerError("permanent", `Two scorers are named '${s.name}'; give one a name.`);
    names.add(s.name);
  }
  const rows: ExampleResult[] = [];
  for (const [index, example] of examples.entries()) {
    let input: ScorerInput | SessionInput;
    let traceId: string;
    if (isConversation(example)) {
      input = sessionFromExample(example, index);
      traceId = input.turns[0]?.traceId ?? "";
    } else {
      const trace = traceFromExample(example, index);
      input = { ...inputFromTrace(trace), inputs: example.inputs, outputs: example.outputs, expectations: example.expectations ?? {} };
      traceId = trace.info.trace_id;
    }
    const results: Record<string, ExampleOutcome> = {};
    for (const s of list) {
      try {
        results[s.name] = await runScorer(s.scorer, input, s.params, env);
      } catch (e) {
        const err = e instanceof ScorerError ? e : new ScorerError("permanent", String(e));
        results[s.name] = { error: { kind: err.kind, message: err.message } };
      }
    }
    rows.push({ index, traceId, results });
  }
  const aggregates = Object.fromEntries(list.map((s) => [s.name, aggregate(rows.map((r) => r.results[s.name]!))]));
  return { examples: rows, aggregates };
}
