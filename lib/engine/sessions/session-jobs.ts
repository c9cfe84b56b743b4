// Assess and backfill jobs with session scorers: a session belongs to a job's selection when its
// first turn does (the trace MLflow logs a session's assessment on), so a scan meets each session
// once. An assess job scores every such session; a backfill samples it as online scoring would.
import { decideTrace, needsFilterData, traceMatcher, type FilterMatch } from "../decide";
import type { EngineCtx } from "../engine-context";
import type { JobParams, JobRow } from "../jobs/job-params";
import type { SourceTrace } from "../ports";
import type { Pair } from "../run-scorers";
import type { EngineScorer } from "../scorer-set";
import type { Recorder } from "../store";
import type { TurnRef } from "./ports";
import { MAX_SESSION_ID_CHARS, sessionMatcher } from "./session-intake";
import { queueSessionTask } from "./session-tasks";

export interface SessionJobTask {
  sessionId: string;
  first: TurnRef;
  scorer: EngineScorer;
}

export interface SessionJobPage {
  tasks: SessionJobTask[];
  /** Sessions that cannot be scored (id over the limit), one per session scorer. */
  skips: { first: TurnRef; scorer: EngineScorer; reason: string }[];
}

/** The session tasks a page of a job's selection adds. */
export async function sessionJobPage(
  e: EngineCtx,
  job: JobRow,
  p: JobParams,
  pinned: readonly EngineScorer[],
  traces: readonly SourceTrace[],
): Promise<SessionJobPage> {
  const out: SessionJobPage = { tasks: [], skips: [] };
  const scorers = pinned.filter((s) => s.sessionLevel);
  const ports = e.store.sessions;
  if (scorers.length === 0 || !ports || traces.length === 0) return out;
  const sids = await ports.source.sessionsOf(
    job.experimentId,
    traces.map((t) => t.traceId),
  );
  const sampling = (p.sampling ?? []).filter((s) => s.session).map((s) => ({ ...s, block: null }));
  const byName = new Map(scorers.map((s) => [s.name, s]));
  for (const t of traces) {
    const sid = sids.get(t.traceId);
    if (sid === undefined) continue;
    const refs = await ports.source.turnRefs(job.experimentId, sid);
    if (refs[0]?.traceId !== t.traceId) continue; // not the session's first turn: the session is met there
    const first = refs[0];
    if (sid.length > MAX_SESSION_ID_CHARS) {
      for (const scorer of scorers) out.skips.push({ first, scorer, reason: "session_id_too_long" });
      continue;
    }
    let chosen: EngineScorer[] = scorers;
    if (job.kind === "backfill") {
      let match: FilterMatch = () => false;
      if (needsFilterData(sampling)) {
        const loaded = await ports.source.loadTraces(refs.slice(-e.ctx.config.VIGIL_SESSION_MAX_TURNS).map((r) => r.traceId));
        match = sessionMatcher([...loaded.values()].map((x) => traceMatcher(x)));
      }
      chosen = decideTrace(sid, sampling, match)
        .filter((d) => d.sampled && byName.has(d.candidate.name))
        .map((d) => byName.get(d.candidate.name)!);
    }
    for (const scorer of chosen) out.tasks.push({ sessionId: sid, first, scorer });
  }
  return out;
}

/** Queues a page's session tasks in the job's transaction; returns how many pairs it added to the job. */
export function queueSessionJobPage(e: EngineCtx, rec: Recorder, job: JobRow, page: SessionJobPage, now: number): number {
  const pairOf = (first: TurnRef, scorer: EngineScorer): Pair => ({
    trace: { traceId: first.traceId, experimentId: job.experimentId, timeMs: first.timeMs },
    scorer,
  });
  for (const s of page.skips) rec.skip(pairOf(s.first, s.scorer), job.jobId, s.reason);
  for (const t of page.tasks) {
    const queued = queueSessionTask(e.ctx.db.$client, {
      first: t.first,
      experimentId: job.experimentId,
      sessionId: t.sessionId,
      scorer: t.scorer,
      jobId: job.jobId,
      now,
    });
    if (!queued) rec.skip(pairOf(t.first, t.scorer), job.jobId, "already_queued");
  }
  return page.tasks.length + page.skips.length;
}
