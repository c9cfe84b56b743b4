// Everything one worker's engine passes around: the verb ctx, its identity for leases, and the
// settings read once from config (retry policy, prices, timeouts, judge endpoint).
import { hostname } from "node:os";
import { newHex, type Ctx } from "@/lib/core";
import { assessmentIdGenerator } from "./assessment-ids";
import { inlineCodeScorer, type CodeScorer } from "./code-scorer";
import type { ScorerEnv } from "@/scorers";
import type { LogEvents } from "@/lib/core/logger";
import type { PriceTable } from "./cost";
import type { EngineStore } from "./ports";
import type { RetryPolicy } from "./retry-policy";
import type { RunOptions } from "./run-scorers";

export interface EngineCtx {
  ctx: Ctx;
  /** The store whose traces are scored (lib/embedded or lib/remote), through its ports. */
  store: EngineStore;
  /** Lease owner id: unique per worker process. */
  workerId: string;
  batchSize: number;
  leaseMs: number;
  policy: RetryPolicy;
  prices: PriceTable;
  code: RunOptions;
  judge: RunOptions;
  judgeConcurrency: number;
  judgeRps: number;
  random: () => number;
  newAssessmentId: () => string;
  /** Where code scorers run: this thread by default, a scoring thread in the worker process. */
  codeScorer: CodeScorer;
  log: (line: string) => void;
  /** What on-call should hear about as it happens (the worker logs each as one line). */
  event: EngineEventSink;
}

/** Engine events with their fields (lib/core/logger's LogEvents). */
export type EngineEventName =
  "scorer.auto_paused" | "scorer.budget_reached" | "job.finished" | "job.failed" | "mlflow.unreachable" | "mlflow.reachable" | "worker.pass_failed";
export type EngineEvent = { [E in EngineEventName]: { name: E; fields: LogEvents[E] } }[EngineEventName];
export type EngineEventSink = (ev: EngineEvent) => void;

export function judgeEnv(ctx: Ctx): ScorerEnv {
  const c = ctx.config;
  return {
    fetch: ctx.fetch,
    judge: c.VIGIL_JUDGE_BASE_URL
      ? { baseUrl: c.VIGIL_JUDGE_BASE_URL, apiKey: c.VIGIL_JUDGE_API_KEY, model: c.VIGIL_JUDGE_MODEL, timeoutMs: c.VIGIL_JUDGE_TIMEOUT_MS }
      : undefined,
  };
}

/** Builds a store for an engine (it may need the engine's lease owner and settings). */
export type StoreFactory = (e: EngineCtx) => EngineStore;

export function makeEngineCtx(ctx: Ctx, storeFor: StoreFactory, log: (line: string) => void = () => {}, overrides: Partial<EngineCtx> = {}): EngineCtx {
  const c = ctx.config;
  const env = judgeEnv(ctx);
  const e: EngineCtx = {
    ctx,
    store: undefined as unknown as EngineStore, // set below, once e exists

    workerId: `${hostname()}:${process.pid}:${newHex(4)}`,
    batchSize: c.VIGIL_ENGINE_BATCH,
    leaseMs: c.VIGIL_LEASE_MS,
    policy: { baseMs: c.VIGIL_RETRY_BASE_MS, maxMs: c.VIGIL_RETRY_MAX_MS, maxAttempts: c.VIGIL_SCORER_MAX_ATTEMPTS },
    prices: c.VIGIL_JUDGE_PRICES,
    code: { env, timeoutMs: c.VIGIL_CODE_SCORER_TIMEOUT_MS, testDelayMs: c.VIGIL_ENGINE_TEST_DELAY_MS },
    judge: { env, timeoutMs: c.VIGIL_JUDGE_TIMEOUT_MS },
    judgeConcurrency: c.VIGIL_JUDGE_CONCURRENCY,
    judgeRps: c.VIGIL_JUDGE_RPS,
    random: Math.random,
    newAssessmentId: assessmentIdGenerator(),
    // Reads e's settings at each call, so a test may change them after creation.
    codeScorer: inlineCodeScorer(ctx.db.$client, {
      get policy() {
        return e.policy;
      },
      get prices() {
        return e.prices;
      },
      get code() {
        return e.code;
      },
      random: () => e.random(),
      newAssessmentId: () => e.newAssessmentId(),
      now: () => e.ctx.now(),
    }),
    log,
    event: () => {},
    ...overrides,
  };
  if (!overrides.store) e.store = storeFor(e);
  return e;
}
