// Intake for online scoring: a page of complete traces from the store's trace source, sampled as
// MLflow would, and in ONE transaction per page the page taken off the source (outbox rows
// deleted, or the cursor moved), the funnel, and the sampled pairs: with an atomic sink the code
// scorers' first attempts are scored now and stored in that same transaction (the fast path);
// otherwise every pair is queued for the runner. A crash before the commit redoes the page with
// the same decisions; after it, nothing is redone.
import type { TraceData } from "@/lib/mlflow/types";
import { decideTrace, needsFilterData, traceMatcher, type BlockReason, type Decision } from "./decide";
import type { EngineCtx } from "./engine-context";
import { pairKey, type OnlinePage, type Scored, type TraceNeed } from "./ports";
import type { Pair } from "./run-scorers";
import { pipeline, queuePair, recordBatch, scoreBatch, started, type BatchScoring, type RunLimits } from "./score-batch";
import { blockOf, samplingScorers, shadowScorers, spentToday, type EngineScorer } from "./scorer-set";
import { Recorder } from "./store";
import { utcDay } from "./cost";

type Candidate = EngineScorer & { block: BlockReason | null; shadows?: Candidate[] };

interface Prepared {
  page: OnlinePage;
  decisions: Map<string, { experimentId: number; timeMs: number; ds: Decision<Candidate>[] }>;
  /** Sampled pairs the store's own scheduler scores (counted skipped, mlflow_scores). */
  elsewhere: Pair[];
  repeats: Pair[];
  /** Shadow pairs that may not run now (their own payload is not runnable, say). */
  blocked: { pair: Pair; reason: BlockReason }[];
  scored: Scored;
  /** Pairs to queue (non-atomic sink), or whose code pairs are being scored now. */
  pairs: Pair[];
  scoring: Promise<BatchScoring> | null;
}

// Once per scorer and UTC day in this worker: a spent budget blocks every pass until midnight.
const budgetNoted = new WeakMap<EngineCtx, Set<string>>();
function noteBudgetReached(e: EngineCtx, s: EngineScorer, spentUsd: number): void {
  let seen = budgetNoted.get(e);
  if (!seen) budgetNoted.set(e, (seen = new Set()));
  const key = `${s.scorerId}:${utcDay(e.ctx.now())}`;
  if (seen.has(key)) return;
  seen.add(key);
  e.event({
    name: "scorer.budget_reached",
    fields: { experiment_id: String(s.experimentId), scorer: s.name, budget_usd: s.dailyBudgetUsd ?? 0, spent_usd: Math.round(spentUsd * 1e4) / 1e4 },
  });
}

/** Scorers per experiment, with what blocks each one now (pause, budget, not runnable). */
function candidatesOf(e: EngineCtx): (experimentId: number) => Candidate[] {
  const cache = new Map<number, Candidate[]>();
  return (expId) => {
    let list = cache.get(expId);
    if (!list) {
      const spent = spentToday(e.ctx.db, expId, e.ctx.now());
      const shadows = shadowScorers(e.ctx.db, expId);
      const withBlock = (s: EngineScorer): Candidate => ({ ...s, block: blockOf(s, spent.get(s.name) ?? 0, true) });
      // A shadow rides on its live version: no sampling of its own, so it gets exactly those traces.
      list = samplingScorers(e.ctx.db, expId).map((s) => ({ ...withBlock(s), shadows: shadows.get(s.scorerId)?.map(withBlock) }));
      for (const c of list) if (c.block === "budget") noteBudgetReached(e, c, spent.get(c.name) ?? 0);
      // Sampling runs over every scorer either way, so the store's scheduler and Vigil pick the
      // same traces; with none left for Vigil to run, the experiment's traces are only taken.
      if (!list.some((c) => !e.store.source.scoredElsewhere(expId, c.serialized))) list = [];
      cache.set(expId, list);
    }
    return list;
  };
}

/** Takes a page, decides it, and (atomic sink) starts scoring its code pairs. */
async function prepare(e: EngineCtx): Promise<Prepared | null> {
  const { source, sink } = e.store;
  const candidates = candidatesOf(e);
  const need = (expId: number): TraceNeed => {
    const c = candidates(expId);
    return c.length === 0 ? "skip" : needsFilterData(c) ? "data" : "info";
  };
  const page = await source.onlinePage(e.batchSize, need);
  if (!page) return null;
  const decisions: Prepared["decisions"] = new Map();
  for (const t of page.traces) {
    const c = candidates(t.experimentId);
    if (c.length)
      decisions.set(t.traceId, { experimentId: t.experimentId, timeMs: t.timeMs, ds: decideTrace(t.traceId, c, traceMatcher(page.data.get(t.traceId))) });
  }
  const live = page.traces.filter((t) => decisions.has(t.traceId));
  const scored = await sink.scored(live);
  const pairs: Pair[] = [];
  const repeats: Pair[] = [];
  const elsewhere: Pair[] = [];
  const blocked: Prepared["blocked"] = [];
  for (const t of live) {
    for (const d of decisions.get(t.traceId)!.ds) {
      if (!d.run) continue;
      const trace = { traceId: t.traceId, experimentId: t.experimentId, timeMs: t.timeMs };
      const pair: Pair = { trace, scorer: d.candidate };
      if (source.scoredElsewhere(t.experimentId, d.candidate.serialized)) elsewhere.push(pair);
      else (scored.keys.has(pairKey(t.traceId, d.candidate.scorerId, d.candidate.version)) ? repeats : pairs).push(pair);
      for (const sh of d.candidate.shadows ?? []) {
        const sp: Pair = { trace, scorer: sh };
        if (sh.block) blocked.push({ pair: sp, reason: sh.block });
        else (scored.keys.has(pairKey(t.traceId, sh.scorerId, sh.version)) ? repeats : pairs).push(sp);
      }
    }
  }
  const data = page.data as ReadonlyMap<string, TraceData>;
  const scoring = sink.atomic ? started(scoreBatch(e, pairs, () => true, null, data)) : null;
  return { page, decisions, elsewhere, blocked, repeats, scored, pairs, scoring };
}

async function commit(e: EngineCtx, p: Prepared): Promise<number> {
  const batch = p.scoring ? await p.scoring : null;
  const sqlite = e.ctx.db.$client;
  const now = e.ctx.now();
  const { sink } = e.store;
  const rec = new Recorder(e.ctx.db, now, e.workerId, sink, e.event);
  sqlite
    .transaction(() => {
      const lost = p.page.consume();
      if (lost === "lost") return; // another worker took the page first: its commit counts
      const mine = (x: Pair) => !lost.has(x.trace.traceId);
      for (const [id, d] of p.decisions) if (!lost.has(id)) for (const x of d.ds) rec.tally.addDecision(d.experimentId, d.timeMs, x);
      for (const x of p.elsewhere) if (mine(x)) rec.skip(x, null, "mlflow_scores");
      if (!sink.atomic) sink.record(p.scored.found);
      for (const x of p.repeats) if (mine(x)) rec.skip(x, null, "already_scored");
      for (const b of p.blocked) if (mine(b.pair)) rec.skip(b.pair, null, b.reason);
      if (batch) recordBatch(rec, batch, null, now, mine);
      else for (const x of p.pairs) if (mine(x)) queuePair(rec, x, null, now);
      rec.flush();
    })
    .immediate();
  return rec.assessmentsWritten;
}

export interface OnlineStepResult {
  /** Complete traces taken from the source. */
  traces: number;
  assessments: number;
  /** The source still had work when the step stopped (it hit its limits). */
  backlog: boolean;
}

export async function onlineStep(e: EngineCtx, limits: RunLimits = { maxBatches: 1, budgetMs: Infinity }): Promise<OnlineStepResult> {
  let traces = 0;
  let assessments = 0;
  let full = false;
  const r = await pipeline(
    limits,
    async () => {
      const p = await prepare(e);
      if (p) full = p.page.full;
      return p;
    },
    async (p) => {
      traces += p.page.taken;
      assessments += await commit(e, p);
    },
  );
  return { traces, assessments, backlog: !r.exhausted && full };
}
