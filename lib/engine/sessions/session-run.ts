// The session runner: claims session tasks, reads the session's turns as they are now, and scores
// the set of turns once. The ledger row (unique per session, scorer version and set of turns), the
// assessment on the session's first turn, the superseded older verdict and the removed task are
// recorded by session-settle.ts: in one transaction (embedded), or written to MLflow exactly once
// by markers and then recorded (remote); a crash before redoes the work, after finds the set scored.
import { ONLINE_SESSION_ID_KEY, sessionInput, TRACE_SESSION_KEY } from "@/scorers";
import type { TraceData } from "@/lib/mlflow/types";
import type { EngineCtx } from "../engine-context";
import { runOne, type Pair } from "../run-scorers";
import type { EngineScorer } from "../scorer-set";
import { taskOutcome, taskPair } from "../tasks";
import type { SessionPorts } from "./ports";
import { settleSessions, type SessionOutcome } from "./session-settle";
import { claimSessionTasks, turnsKey, type SessionTaskRow } from "./session-tasks";

/** Metadata a session assessment carries beside MLflow's session keys: how many turns it judged. */
export const SESSION_TURNS_KEY = "vigil.session.turns";
export const SESSION_TURNS_SCORED_KEY = "vigil.session.turns_scored";
/** The set of turns judged (turnsKey): how a store that is not atomic finds its own write again. */
export const SESSION_TURNS_KEY_KEY = "vigil.session.turns_key";

async function scoreTask(e: EngineCtx, ports: SessionPorts, t: SessionTaskRow, cache: Map<string, EngineScorer | undefined>): Promise<SessionOutcome> {
  const found = taskPair(e, t, cache);
  if (!found) return { t, drop: "scorer_deleted" };
  const refs = await ports.source.turnRefs(t.experiment_id, t.session_id);
  if (refs.length === 0) return { t, pair: found, drop: "trace_deleted" };
  // MLflow logs a session's assessment on its first trace (session_utils.get_first_trace_in_session).
  const pair: Pair = { trace: { traceId: refs[0]!.traceId, experimentId: t.experiment_id, timeMs: refs[0]!.timeMs }, scorer: found.scorer };
  const key = { experimentId: t.experiment_id, sessionId: t.session_id, scorerId: t.scorer_id, scorerVersion: t.scorer_version, turnsKey: turnsKey(refs) };
  if (await ports.sink.scored(key)) return { t, pair, already: true };
  const scoredRefs = refs.slice(-e.ctx.config.VIGIL_SESSION_MAX_TURNS);
  const loaded = await ports.source.loadTraces(scoredRefs.map((r) => r.traceId));
  const traces = scoredRefs.map((r) => loaded.get(r.traceId)).filter((x): x is TraceData => x !== undefined);
  const input = sessionInput(t.session_id, traces, refs.length);
  const run = await runOne(pair, input, pair.scorer.kind === "judge" ? e.judge : e.code);
  const write = taskOutcome(e, t, run, e.ctx.now());
  if (write.type === "assessment") {
    const md = JSON.parse(write.row.metadata) as Record<string, string>;
    md[ONLINE_SESSION_ID_KEY] = t.session_id;
    md[TRACE_SESSION_KEY] = t.session_id;
    md[SESSION_TURNS_KEY] = String(refs.length);
    md[SESSION_TURNS_SCORED_KEY] = String(traces.length);
    md[SESSION_TURNS_KEY_KEY] = key.turnsKey;
    write.row.metadata = JSON.stringify(md);
  }
  return { t, pair, write, score: { ...key, turns: refs.length, jobId: t.job_id, timeMs: refs[0]!.timeMs, shadow: pair.scorer.shadow } };
}

export interface SessionRunResult {
  tasks: number;
  assessments: number;
}

/** One batch of session code-scorer tasks, scored together, then recorded through the store's session sink. */
export async function sessionTaskStep(e: EngineCtx): Promise<SessionRunResult> {
  const ports = e.store.sessions;
  if (!ports) return { tasks: 0, assessments: 0 };
  const code = claimSessionTasks(e, "session", e.batchSize);
  if (code.length === 0) return { tasks: 0, assessments: 0 };
  const cache = new Map<string, EngineScorer | undefined>();
  const outcomes = await Promise.all(code.map((t) => scoreTask(e, ports, t, cache)));
  return { tasks: code.length, assessments: await settleSessions(e, ports, outcomes) };
}

/**
 * One session judge task, started by the judge pool (lib/engine/task-step.ts) under the same rate,
 * concurrency and budget as trace judges, so a pass never waits on a session judge.
 */
export async function runSessionJudge(e: EngineCtx, t: SessionTaskRow): Promise<void> {
  const ports = e.store.sessions;
  if (!ports) return;
  await settleSessions(e, ports, [await scoreTask(e, ports, t, new Map())]);
}
