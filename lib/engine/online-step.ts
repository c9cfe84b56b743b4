// Continuous scoring, one batch: take the oldest completed traces from the outbox, sample them
// as MLflow would, run code scorers now and queue judges, and in ONE transaction store the
// results, the funnel and the outbox deletion. A crash anywhere before the commit redoes the
// batch with the same decisions; after it, nothing is redone.
import type Database from "better-sqlite3";
import type { TraceData } from "@/lib/mlflow/types";
import { decideTrace, needsFilterData, traceMatcher, type BlockReason, type Decision } from "./decide";
import type { EngineCtx } from "./engine-context";
import type { Pair, TraceRef } from "./run-scorers";
import { recordBatch, runBatch } from "./score-batch";
import { blockOf, samplingScorers, spentToday, type EngineScorer } from "./scorer-set";
import { pairKey, Recorder, scoredPairs } from "./store";
import { isEvaluationTrace, loadTraceBatch, loadTraceRows } from "./trace-batch";

interface Completion {
  seq: number;
  trace_id: string;
  experiment_id: number;
  completed_at: number;
}

type Candidate = EngineScorer & { block: BlockReason | null };

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

export interface OnlineStepResult {
  /** Completed traces taken from the outbox. */
  traces: number;
  assessments: number;
}

export async function onlineStep(e: EngineCtx): Promise<OnlineStepResult> {
  const { db } = e.ctx;
  const sqlite = db.$client;
  const claimed = claimCompletions(sqlite, e, e.ctx.now());
  if (claimed.length === 0) return { traces: 0, assessments: 0 };

  // Scorers per experiment, with what blocks each one now (pause, budget, not runnable).
  const candidates = new Map<number, Candidate[]>();
  for (const expId of new Set(claimed.map((c) => c.experiment_id))) {
    const spent = spentToday(db, expId, e.ctx.now());
    const list = samplingScorers(db, expId).map((s) => ({ ...s, block: blockOf(s, spent.get(s.name) ?? 0, true) }));
    if (list.length) candidates.set(expId, list);
  }
  const scoredIds = claimed.filter((c) => candidates.has(c.experiment_id)).map((c) => c.trace_id);
  const rows = loadTraceRows(db, scoredIds);
  const live = scoredIds.filter((id) => rows.has(id) && !isEvaluationTrace(rows.get(id)!));

  // Filters are evaluated on the trace's content; load it only where some filter needs it.
  const filtered = live.filter((id) => needsFilterData(candidates.get(rows.get(id)!.experimentId)!));
  const traces = new Map<string, TraceData>(loadTraceBatch(db, filtered, rows));

  const decisions = new Map<string, Decision<Candidate>[]>();
  for (const id of live) {
    const row = rows.get(id)!;
    decisions.set(id, decideTrace(id, candidates.get(row.experimentId)!, traceMatcher(traces.get(id))));
  }
  const already = scoredPairs(sqlite, [...decisions.keys()]);
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
  const needCode = [...new Set(pairs.filter((p) => p.scorer.kind === "code" && !traces.has(p.trace.traceId)).map((p) => p.trace.traceId))];
  for (const [id, t] of loadTraceBatch(db, needCode, rows)) traces.set(id, t);

  const batch = await runBatch(e, pairs, traces, (id) => rows.has(id));

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
    for (const c of claimed) if (drop.run(c.seq, e.workerId).changes === 0) lost.add(c.trace_id);
    const mine = (p: Pair) => !lost.has(p.trace.traceId);
    for (const [id, ds] of decisions) {
      if (lost.has(id)) continue;
      for (const d of ds) rec.tally.addDecision(rows.get(id)!.experimentId, rows.get(id)!.requestTime, d);
    }
    for (const p of repeats.filter(mine)) rec.skip(p, null, "already_scored");
    recordBatch(e, rec, { runs: batch.runs.filter((r) => mine(r.pair)), judges: batch.judges.filter(mine), gone: batch.gone.filter(mine) }, null, now);
    const last = new Map<number, Completion>();
    for (const c of claimed) if (!lost.has(c.trace_id)) last.set(c.experiment_id, c);
    for (const c of last.values()) checkpoint.run(c.experiment_id, c.completed_at, c.trace_id, now);
    rec.flush();
  }).immediate();
  return { traces: claimed.length, assessments: rec.assessmentsWritten };
}
