// Scoring a batch of code-scorer pairs into the writes that record them: load the traces, run
// the scorers in bulk, decide each outcome. Pure computation over committed data, no writes, so
// it can run on a scoring thread while the engine's thread commits the previous batch.
import type Database from "better-sqlite3";
import type { TraceData } from "@/lib/mlflow/types";
import type { PriceTable } from "./cost";
import { outcomeWrite, type PairWrite } from "./outcomes";
import type { RetryPolicy } from "./retry-policy";
import { runCodeBulk, type Pair, type RunOptions } from "./run-scorers";
import { resolveCached, type EngineScorer } from "./scorer-set";
import { loadTraceBatch } from "./trace-batch";

/** One pair to score, in a form that crosses a thread boundary (the scorer as its serialized text). */
export interface ScoreItem {
  traceId: string;
  experimentId: number;
  timeMs: number;
  scorerId: string;
  scorerName: string;
  version: number;
  serialized: string;
  /** Attempts already made (0 for a first attempt, the task's count for a retry). */
  priorAttempts: number;
  /** A shadow version's pair (left out when false, to keep thread messages small). */
  shadow?: true;
}

export interface ScoreRequest {
  items: ScoreItem[];
  jobId: string | null;
  /** The traces, loaded through the store (a remote one): then nothing is read from the database. */
  traces?: TraceData[];
}

/** Per item: the write that records its outcome, or null when its trace no longer exists. */
export type ScoreReply = (PairWrite | null)[];

export interface CodeScorer {
  score(req: ScoreRequest, preloaded?: ReadonlyMap<string, TraceData>): Promise<ScoreReply>;
  close(): Promise<void>;
}

export interface ScoringSettings {
  policy: RetryPolicy;
  prices: PriceTable;
  code: RunOptions;
  random: () => number;
  newAssessmentId: () => string;
  now: () => number;
}

export function scoreItem(p: Pair, priorAttempts: number): ScoreItem {
  return {
    traceId: p.trace.traceId,
    experimentId: p.trace.experimentId,
    timeMs: p.trace.timeMs,
    scorerId: p.scorer.scorerId,
    scorerName: p.scorer.name,
    version: p.scorer.version,
    serialized: p.scorer.serialized,
    priorAttempts,
    ...(p.scorer.shadow ? { shadow: true as const } : {}),
  };
}

/** The pair an item stands for, its scorer rebuilt from the serialized text (cached per version). */
export function itemPair(i: ScoreItem): Pair {
  const resolved = resolveCached(i.scorerId, i.version, i.serialized);
  const scorer: EngineScorer = {
    scorerId: i.scorerId,
    experimentId: i.experimentId,
    name: i.scorerName,
    version: i.version,
    serialized: i.serialized,
    sampleRate: 0,
    filterString: null,
    pausedReason: null,
    accountPausedReason: null,
    dailyBudgetUsd: null,
    resolved,
    kind: resolved.runnable ? resolved.scorer.kind : null,
    shadow: i.shadow === true,
    sessionLevel: resolved.runnable && resolved.scorer.level === "session",
  };
  return { trace: { traceId: i.traceId, experimentId: i.experimentId, timeMs: i.timeMs }, scorer };
}

/** Scores a request against `db` (the engine's connection, or a scoring thread's own). */
export async function scoreRequest(
  db: Database.Database,
  req: ScoreRequest,
  s: ScoringSettings,
  preloaded?: ReadonlyMap<string, TraceData>,
): Promise<ScoreReply> {
  const traces = new Map<string, TraceData>(preloaded ?? []);
  if (req.traces) for (const t of req.traces) traces.set(t.info.trace_id, t);
  else {
    const missing = req.items.filter((i) => !traces.has(i.traceId)).map((i) => i.traceId);
    for (const [id, t] of loadTraceBatch(db, missing)) traces.set(id, t);
  }
  const present = req.items.filter((i) => traces.has(i.traceId));
  const runs = await runCodeBulk(present.map(itemPair), traces, s.code);
  const writes = new Map<ScoreItem, PairWrite>();
  const now = s.now();
  present.forEach((item, k) => {
    writes.set(
      item,
      outcomeWrite(runs[k]!, {
        now,
        priorAttempts: item.priorAttempts,
        jobId: req.jobId,
        policy: s.policy,
        prices: s.prices,
        random: s.random,
        newAssessmentId: s.newAssessmentId,
      }),
    );
  });
  return req.items.map((i) => writes.get(i) ?? null);
}

/** Scoring on the engine's own thread. */
export function inlineCodeScorer(db: Database.Database, s: ScoringSettings): CodeScorer {
  return {
    score: (req, preloaded) => scoreRequest(db, req, s, preloaded),
    close: async () => {},
  };
}
