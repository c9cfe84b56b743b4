// Runs scorer modules for (trace, scorer) pairs: code scorers in bulk under one shared deadline,
// judges one call each with an AbortSignal. Every failure comes back classified, never thrown.
import { setTimeout as sleep } from "node:timers/promises";
import type { TraceData } from "@/lib/mlflow/types";
import { inputFromTrace, runScorer, ScorerError, toScorerError, type ScoreResult, type ScorerEnv, type ScorerInput, type SessionInput } from "@/scorers";
import type { EngineScorer } from "./scorer-set";

export interface TraceRef {
  traceId: string;
  experimentId: number;
  /** The trace's timestamp (request time): its funnel bucket. */
  timeMs: number;
}

export interface Pair {
  trace: TraceRef;
  scorer: EngineScorer;
}

export interface PairRun {
  pair: Pair;
  result?: ScoreResult;
  error?: ScorerError;
  timedOut: boolean;
  latencyMs: number;
}

export interface RunOptions {
  env: ScorerEnv;
  timeoutMs: number;
  /** Tests only: a pause before each code scorer run (VIGIL_ENGINE_TEST_DELAY_MS). */
  testDelayMs?: number;
}

const TIMED_OUT = Symbol("timed out");

/** Passes an engine-side abort to every request a scorer makes through env.fetch. */
export function abortableFetch(base: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

function timeoutError(name: string, ms: number): ScorerError {
  return new ScorerError("transient", `${name} did not finish within ${ms} ms.`);
}

async function invoke(pair: Pair, trace: TraceData | SessionInput, env: ScorerEnv, testDelayMs: number, input?: ScorerInput): Promise<ScoreResult> {
  const r = pair.scorer.resolved;
  if (!r.runnable) throw new ScorerError("permanent", r.reason);
  if (testDelayMs > 0 && r.scorer.kind === "code") await sleep(testDelayMs);
  // A session scorer gets the whole conversation (lib/engine/sessions), a trace scorer one trace.
  return runScorer(r.scorer, "turns" in trace ? trace : (input ?? inputFromTrace(trace)), r.params, env);
}

/** The trace's input, kept for its other scorers; undefined when reading it fails (invoke then reports it). */
function sharedInput(traceId: string, trace: TraceData, inputs: Map<string, ScorerInput>): ScorerInput | undefined {
  try {
    const input = inputFromTrace(trace);
    inputs.set(traceId, input);
    return input;
  } catch {
    return undefined;
  }
}

/** One timer per call batch: when it fires, every judge request it covers is aborted. */
function armDeadline(o: RunOptions): { deadline: Promise<typeof TIMED_OUT>; env: ScorerEnv; signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(TIMED_OUT);
    }, o.timeoutMs);
  });
  const env: ScorerEnv = { ...o.env, fetch: abortableFetch(o.env.fetch, controller.signal) };
  return { deadline, env, signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Code scorers in bulk: every call starts at once and shares one deadline timer, so a batch of
 * thousands costs one timer, and a scorer that hangs is cut off without holding the others.
 * (A scorer that blocks the event loop synchronously cannot be cut off in-process.)
 */
export async function runCodeBulk(pairs: readonly Pair[], traces: ReadonlyMap<string, TraceData>, o: RunOptions): Promise<PairRun[]> {
  if (pairs.length === 0) return [];
  const { deadline, env, clear } = armDeadline(o);
  const started: { pair: Pair; promise: Promise<ScoreResult | typeof TIMED_OUT>; syncMs: number }[] = [];
  // A trace's scorers share its input (they already shared the trace it is read from).
  const inputs = new Map<string, ScorerInput>();
  for (const pair of pairs) {
    const t0 = performance.now();
    const trace = traces.get(pair.trace.traceId)!;
    let input = inputs.get(pair.trace.traceId);
    if (!input) input = sharedInput(pair.trace.traceId, trace, inputs);
    const promise = invoke(pair, trace, env, o.testDelayMs ?? 0, input);
    started.push({ pair, promise: Promise.race([promise, deadline]), syncMs: performance.now() - t0 });
  }
  const issuedAt = performance.now();
  const runs = await Promise.all(
    started.map(async ({ pair, promise, syncMs }): Promise<PairRun> => {
      // Latency: the scorer's synchronous part plus any asynchronous wait after all calls started.
      const latency = () => syncMs + Math.max(0, performance.now() - issuedAt);
      try {
        const r = await promise;
        if (r === TIMED_OUT) return { pair, error: timeoutError(pair.scorer.name, o.timeoutMs), timedOut: true, latencyMs: latency() };
        return { pair, result: r, timedOut: false, latencyMs: latency() };
      } catch (e) {
        return { pair, error: toScorerError(e, `${pair.scorer.name} failed`), timedOut: false, latencyMs: latency() };
      }
    }),
  );
  clear();
  return runs;
}

/** One scorer call (an LLM judge, or a session scorer) with its own timeout, which aborts the HTTP request. */
export async function runOne(pair: Pair, trace: TraceData | SessionInput, o: RunOptions): Promise<PairRun> {
  const { deadline, env, signal, clear } = armDeadline(o);
  const t0 = performance.now();
  try {
    const r = await Promise.race([invoke(pair, trace, env, o.testDelayMs ?? 0), deadline]);
    if (r === TIMED_OUT) return { pair, error: timeoutError(pair.scorer.name, o.timeoutMs), timedOut: true, latencyMs: performance.now() - t0 };
    return { pair, result: r, timedOut: false, latencyMs: performance.now() - t0 };
  } catch (e) {
    const err = toScorerError(e, `${pair.scorer.name} failed`);
    // An abort we caused is our timeout, whatever the scorer wrapped it in.
    const timedOut = signal.aborted;
    return { pair, error: timedOut ? timeoutError(pair.scorer.name, o.timeoutMs) : err, timedOut, latencyMs: performance.now() - t0 };
  } finally {
    clear();
  }
}
