// Continuous scoring: take the oldest completed traces from the outbox, sample them as MLflow
// would, score code scorers now and queue judges, and in ONE transaction per batch store the
// results, the funnel and the outbox deletion. A crash anywhere before a commit redoes that
// batch with the same decisions; after it, nothing is redone.
import type Database from "better-sqlite3";
import type { TraceData } from "@/lib/mlflow/types";
import { decideTrace, needsFilterData, traceMatcher, type BlockReason, type Decision } from "./decide";
import type { EngineCtx } from "./engine-context";
import type { Pair, TraceRef } from "./run-scorers";
import { pipeline, recordBatch, scoreBatch, started, type BatchScoring, type RunLimits } from "./score-batch";
import { blockOf, samplingScorers, spentToday, type EngineScorer } from "./scorer-set";
import { pairKey, Recorder, scoredPairs } from "./store";
import { isEvaluationTrace, loadTraceBatch, loadTraceRows } from "./trace-batch";
import type { TraceRow } from "@/lib/mlflow/convert";

interface Completion {
  seq: number;
  trace_id: string;
  experiment_id: number;
  completed_at: number;
}

type Candidate = EngineScorer & { block: BlockReason | null };

interface Prepared {
  claimed: Completion[];
  rows: Map<string, TraceRow>;
  decisions: Map<string, Decision<Candidate>[]>;
  repeats: Pair[];
  scoring: Promise<BatchScoring>;
}

/** Leases the oldest unleased completions (or ones whose worker died) to this worker. */
function claimCompletions(db: Database.Database, e: EngineCtx, now: number): Completion[] {
  const rows = db
    .prepare(
      `UPDATE engine_completions SET lease_owner = ?, lease_expires_at = ?
       WHERE seq IN (SELECT seq FROM engine_completions WHERE lease_expires_at IS NULL OR lease_expires_at < ? ORDER BY seq LIMIT ?)
       RETURNING seq, trace_id, experiment_id, completed_at`,
    )
    .all(e.workerId, now + e.leaseMs, now, e.batchSize) as Completion[];
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Claims a batch, decides it, and starts scoring its code pairs. */
function prepare(e: EngineCtx): Prepared | null {
  const db = e.ctx.db.$client;
  const claimed = claimCompletions(db, e, e.ctx.now());
  if (claimed.length === 0) return null;

  // Scorers per experiment, with what blocks each one now (pause, budget, not runnable).
  const candidates = new Map<number, Candidate[]>();
  for (const expId of new Set(claimed.map((c) => c.experiment_id))) {
    const spent = spentToday(e.ctx.db, expId, e.ctx.now());
    const list = samplingScorers(e.ctx.db, expId).map((s) => ({ ...s, block: blockOf(s, spent.get(s.name) ?? 0, true) }));
    if (list.length) candidates.set(expId, list);
  }
  const ids = claimed.filter((c) => candidates.has(c.experiment_id)).map((c) => c.trace_id);
  const rows = loadTraceRows(db, ids);
  const live = ids.filter((id) => rows.has(id) && !isEvaluationTrace(rows.get(id)!));

  // Filters are evaluated on the trace's content; load it only where some filter needs it.
  const filtered = live.filter((id) => needsFilterData(candidates.get(rows.get(id)!.experimentId)!));
  const traces = new Map<string, TraceData>(loadTraceBatch(db, filtered, rows));

  const decisions = new Map<string, Decision<Candidate>[]>();
  for (const id of live) decisions.set(id, decideTrace(id, candidates.get(rows.get(id)!.experimentId)!, traceMatcher(traces.get(id))));
  const already = scoredPairs(db, [...decisions.keys()]);
  const pairs: Pair[] = [];
  const repeats: Pair[] = [];
  for (const [id, ds] of decisions) {
    const row = rows.get(id)!;
    const trace: TraceRef = { traceId: id, experimentId: row.experimentId, timeMs: row.requestTime };
    for (const d of ds) {
      if (!d.run) continue;
      const pair = { trace, scorer: d.candidate };
      (already.has(pairKey(id, d.candidate.scorerId, d.candidate.version)) ? repeats : pairs).push(pair);
    }
  }
  return { claimed, rows, decisions, repeats, scoring: started(scoreBatch(e, pairs, (id) => rows.has(id), null, traces)) };
}

async function commit(e: EngineCtx, p: Prepared): Promise<number> {
  const batch = await p.scoring;
  const sqlite = e.ctx.db.$client;
  const now = e.ctx.now();
  const rec = new Recorder(e.ctx.db, now, e.workerId);
  const drop = sqlite.prepare("DELETE FROM engine_completions WHERE seq = ? AND lease_owner = ?");
  const checkpoint = sqlite.prepare(
    `INSERT INTO checkpoints (experiment_id, timestamp_ms, trace_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, trace_id = excluded.trace_id, updated_at = excluded.updated_at`,
  );
  sqlite.transaction(() => {
    // Only completions this worker still holds are recorded: if its lease ran out and another
    // worker took them, that worker's commit is the one that counts.
    const lost = new Set<string>();
    for (const c of p.claimed) if (drop.run(c.seq, e.workerId).changes === 0) lost.add(c.trace_id);
    const mine = (x: Pair) => !lost.has(x.trace.traceId);
    for (const [id, ds] of p.decisions) {
      if (lost.has(id)) continue;
      const row = p.rows.get(id)!;
      for (const d of ds) rec.tally.addDecision(row.experimentId, row.requestTime, d);
    }
    for (const x of p.repeats) if (mine(x)) rec.skip(x, null, "already_scored");
    recordBatch(rec, batch, null, now, mine);
    const last = new Map<number, Completion>();
    for (const c of p.claimed) if (!lost.has(c.trace_id)) last.set(c.experiment_id, c);
    for (const c of last.values()) checkpoint.run(c.experiment_id, c.completed_at, c.trace_id, now);
    rec.flush();
  }).immediate();
  return rec.assessmentsWritten;
}

export interface OnlineStepResult {
  /** Completed traces taken from the outbox. */
  traces: number;
  assessments: number;
  /** The outbox still had work when the step stopped (it hit its limits). */
  backlog: boolean;
}

export async function onlineStep(e: EngineCtx, limits: RunLimits = { maxBatches: 1, budgetMs: Infinity }): Promise<OnlineStepResult> {
  let traces = 0;
  let assessments = 0;
  let full = false;
  const r = await pipeline(
    limits,
    () => {
      const p = prepare(e);
      if (p) full = p.claimed.length === e.batchSize;
      return p;
    },
    async (p) => {
      traces += p.claimed.length;
      assessments += await commit(e, p);
    },
  );
  return { traces, assessments, backlog: !r.exhausted && full };
}
