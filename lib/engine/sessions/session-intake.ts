// Session intake: complete sessions (no turn joined for VIGIL_SESSION_BUFFER_MS) are sampled as
// MLflow samples them (dense sampling with the session id as the entity id, session-level scorers
// grouped by filter) and queued as session tasks in the one queue, with the sessions taken off
// the due list, the funnel and the checkpoint, in one transaction. No cap on sessions per pass
// beyond the batch, and no lookback: a session due for a day is scored all the same.
import { decideTrace, needsFilterData, traceMatcher, type BlockReason, type Decision, type FilterMatch } from "../decide";
import type { EngineCtx } from "../engine-context";
import { blockOf, samplingScorers, shadowScorers, spentToday, type EngineScorer } from "../scorer-set";
import { Recorder } from "../store";
import type { DueSession } from "./ports";
import { queueSessionTask } from "./session-tasks";

/** MLflow's limit on a trace metadata value: a longer session id is not scored, with this reason. */
export const MAX_SESSION_ID_CHARS = 250;

type Blocked = EngineScorer & { block: BlockReason | null };
/** A session scorer with what blocks it now, and its running shadow versions (they ride on its sampling). */
type Candidate = Blocked & { shadows: Blocked[] };

/** A session matches a filter when any of its turns does. */
export function sessionMatcher(matchers: readonly FilterMatch[]): FilterMatch {
  return (f) => {
    let invalid = false;
    for (const m of matchers) {
      const r = m(f);
      if (r === true) return true;
      if (r === "invalid") invalid = true;
    }
    return invalid ? "invalid" : false;
  };
}

export interface SessionIntakeResult {
  sessions: number;
  queued: number;
}

export async function sessionIntake(e: EngineCtx): Promise<SessionIntakeResult> {
  const ports = e.store.sessions;
  if (!ports) return { sessions: 0, queued: 0 };
  const now = e.ctx.now();
  const due = await ports.source.duePage(e.batchSize, now - e.ctx.config.VIGIL_SESSION_BUFFER_MS);
  if (due.length === 0) return { sessions: 0, queued: 0 };

  const byExp = new Map<number, Candidate[]>();
  const candidates = (expId: number) => {
    let list = byExp.get(expId);
    if (!list) {
      const spent = spentToday(e.ctx.db, expId, now);
      const shadows = shadowScorers(e.ctx.db, expId);
      const withBlock = (s: EngineScorer): Blocked => ({ ...s, block: blockOf(s, spent.get(s.name) ?? 0, true) });
      // A shadow has no sampling of its own: it scores exactly the sessions its live version is sampled for.
      list = samplingScorers(e.ctx.db, expId, "session").map((s) => ({
        ...withBlock(s),
        shadows: (shadows.get(s.scorerId) ?? []).filter((x) => x.sessionLevel).map(withBlock),
      }));
      byExp.set(expId, list);
    }
    return list;
  };

  const decided: { s: DueSession; ds: Decision<Candidate>[]; first: { traceId: string; timeMs: number } | null }[] = [];
  for (const s of due) {
    const c = candidates(s.experimentId);
    if (c.length === 0) {
      decided.push({ s, ds: [], first: null });
      continue;
    }
    if (s.skipReason !== null || s.sessionId.length > MAX_SESSION_ID_CHARS) {
      s.skipReason ??= "session_id_too_long";
      decided.push({ s, ds: [], first: null });
      continue;
    }
    const refs = await ports.source.turnRefs(s.experimentId, s.sessionId);
    if (refs.length === 0) {
      decided.push({ s, ds: [], first: null }); // every turn deleted, or evaluation runs only
      continue;
    }
    let match: FilterMatch = () => false;
    if (needsFilterData(c)) {
      const traces = await ports.source.loadTraces(refs.slice(-e.ctx.config.VIGIL_SESSION_MAX_TURNS).map((r) => r.traceId));
      match = sessionMatcher([...traces.values()].map((t) => traceMatcher(t)));
    }
    decided.push({ s, ds: decideTrace(s.sessionId, c, match), first: refs[0]! });
  }

  let queued = 0;
  const rec = new Recorder(e.ctx.db, now, e.workerId, e.store.sink);
  const taken: DueSession[] = [];
  e.ctx.db.$client
    .transaction(() => {
      for (const { s, ds, first } of decided) {
        if (s.skipReason) {
          for (const c of candidates(s.experimentId)) rec.tally.add(s.experimentId, c.name, s.firstTimeMs, "skipped", s.skipReason);
          taken.push(s);
          continue;
        }
        // A task of the same scorer still queued or running for this session: leave the session due,
        // so the turns that joined since are scored once that task is done.
        let busy = false;
        // Sampled as MLflow samples, but left to MLflow's own scheduler where it runs the scorer (a remote experiment it scores).
        const elsewhere = (d: Decision<Candidate>) => e.store.source.scoredElsewhere(s.experimentId, d.candidate.serialized);
        const queue = (scorer: EngineScorer) => {
          if (queueSessionTask(e.ctx.db.$client, { first: first!, experimentId: s.experimentId, sessionId: s.sessionId, scorer, jobId: null, now })) queued++;
          else busy = true;
        };
        for (const d of ds) {
          if (!d.run || !first || elsewhere(d)) continue;
          queue(d.candidate);
          for (const sh of d.candidate.shadows) if (!sh.block) queue(sh);
        }
        if (busy) continue;
        for (const d of ds) {
          rec.tally.addDecision(s.experimentId, first?.timeMs ?? s.firstTimeMs, d);
          if (!d.run || !first) continue;
          const at = { traceId: first.traceId, experimentId: s.experimentId, timeMs: first.timeMs };
          if (elsewhere(d)) rec.skip({ trace: at, scorer: d.candidate }, null, "mlflow_scores");
          else for (const sh of d.candidate.shadows) if (sh.block) rec.skip({ trace: at, scorer: sh }, null, sh.block);
        }
        taken.push(s);
      }
      ports.source.consume(taken, now);
      rec.flush();
    })
    .immediate();
  return { sessions: taken.length, queued };
}
