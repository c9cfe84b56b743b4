// What a finished scoring attempt turns into: an assessment (a value or an error), a durable
// retry, or a paused scorer. Pure: ids, clock and randomness come in as arguments.
import type { ScoreResult } from "@/scorers";
import { costUsd, type PriceTable } from "./cost";
import { decideFailure, failureReason, type RetryPolicy } from "./retry-policy";
import type { Pair, PairRun } from "./run-scorers";

export interface AssessmentInsert {
  assessmentId: string;
  traceId: string;
  experimentId: number;
  name: string;
  sourceType: "CODE" | "LLM_JUDGE";
  sourceId: string;
  value: string | null;
  error: string | null;
  rationale: string | null;
  metadata: string;
  createTime: number;
  scorerId: string;
  scorerVersion: number;
  runId: string | null;
}

export interface UsageAdd {
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number | null;
}

export type PairWrite =
  | { type: "assessment"; row: AssessmentInsert; stage: "scored" | "failed"; reason: string; usage?: UsageAdd }
  | { type: "retry"; attempts: number; nextAttemptAt: number; lastError: string; reason: string }
  | { type: "pause"; reason: string };

export interface OutcomeContext {
  now: number;
  /** Attempts made before this one. */
  priorAttempts: number;
  jobId: string | null;
  policy: RetryPolicy;
  prices: PriceTable;
  random: () => number;
  newAssessmentId: () => string;
}

/** MLflow's metadata key linking an assessment to the evaluation run (here: the job) that made it. */
export const SOURCE_RUN_ID_KEY = "mlflow.assessment.sourceRunId";
export const JUDGE_COST_KEY = "mlflow.assessment.judgeCost";
/** Marks a shadow version's assessment, so any reader (an MLflow client too) can tell it apart. */
export const SHADOW_KEY = "vigil.shadow";

/** The full row in one object literal: this runs for every scored pair. */
function row(pair: Pair, c: OutcomeContext, value: string | null, error: string | null, rationale: string | null, metadata: string): AssessmentInsert {
  return {
    assessmentId: c.newAssessmentId(),
    traceId: pair.trace.traceId,
    experimentId: pair.trace.experimentId,
    // The assessment is named after the scorer (MLflow does the same for registered scorers).
    name: pair.scorer.name,
    sourceType: pair.scorer.kind === "judge" ? "LLM_JUDGE" : "CODE",
    sourceId: pair.scorer.name,
    value,
    error,
    rationale,
    metadata,
    createTime: c.now,
    scorerId: pair.scorer.scorerId,
    scorerVersion: pair.scorer.version,
    runId: c.jobId,
  };
}

/** The scorer's own metadata, then the engine's (which wins on a clash). */
function metadata(pair: Pair, c: OutcomeContext, latencyMs: number, ...extra: (Record<string, string> | undefined)[]): string {
  const md: Record<string, string> = {};
  for (const e of extra) if (e) Object.assign(md, e);
  md.scorer_version = String(pair.scorer.version);
  md.latency_ms = String(Math.round(latencyMs * 1000) / 1000);
  md.attempts = String(c.priorAttempts + 1);
  if (c.jobId) md[SOURCE_RUN_ID_KEY] = c.jobId;
  if (pair.scorer.shadow) md[SHADOW_KEY] = "true";
  return JSON.stringify(md);
}

function usageOf(result: ScoreResult, prices: PriceTable): { usage?: UsageAdd; md?: Record<string, string> } {
  if (!result.usage) return {};
  const cost = costUsd(result.usage, prices);
  const md: Record<string, string> = {
    judge_model: result.usage.model,
    prompt_tokens: String(result.usage.promptTokens),
    completion_tokens: String(result.usage.completionTokens),
  };
  if (cost !== null) {
    md.cost_usd = cost.toFixed(8);
    md[JUDGE_COST_KEY] = md.cost_usd;
  }
  return { usage: { ...result.usage, costUsd: cost }, md };
}

/** The write for one attempt's outcome. */
export function outcomeWrite(run: PairRun, c: OutcomeContext): PairWrite {
  const { pair } = run;
  if (run.result) {
    const { usage, md } = usageOf(run.result, c.prices);
    return {
      type: "assessment",
      stage: "scored",
      reason: "",
      usage,
      row: row(pair, c, JSON.stringify(run.result.value), null, run.result.rationale, metadata(pair, c, run.latencyMs, run.result.metadata, md)),
    };
  }
  const err = run.error!;
  const attempts = c.priorAttempts + 1;
  const facts = { kind: err.kind, attempts, timedOut: run.timedOut, retryAfterMs: err.retryAfterMs, message: err.message };
  const reason = failureReason({ kind: err.kind, timedOut: run.timedOut, httpStatus: err.httpStatus });
  const action = decideFailure(facts, c.policy, c.random);
  if (action.action === "pause") return { type: "pause", reason: action.reason };
  if (action.action === "retry") return { type: "retry", attempts, nextAttemptAt: c.now + action.delayMs, lastError: err.message, reason };
  return {
    type: "assessment",
    stage: "failed",
    reason: action.errorCode,
    row: row(pair, c, null, JSON.stringify({ error_code: action.errorCode, error_message: action.message }), null, metadata(pair, c, run.latencyMs)),
  };
}
