// The session runner: claims session tasks, reads the session's turns as they are now, and scores
// the set of turns once. The ledger row (unique per session, scorer version and set of turns),
// the assessment on the session's first turn, the superseded older verdict and the removed task
// commit in one transaction; a crash before it redoes the work, after it finds the set scored.
import { ONLINE_SESSION_ID_KEY, sessionInput, TRACE_SESSION_KEY } from "@/scorers";
import type { TraceData } from "@/lib/mlflow/types";
import type { EngineCtx } from "../engine-context";
import type { PairWrite } from "../outcomes";
import { runOne, type Pair } from "../run-scorers";
import type { EngineScorer } from "../scorer-set";
import { Recorder } from "../store";
import { dropTask, taskOutcome, taskPair } from "../tasks";
import type { SessionPorts, SessionScore } from "./ports";
import { claimSessionTasks, turnsKey, type SessionTaskRow } from "./session-tasks";

/** Metadata a session assessment carries beside MLflow's session keys: how many turns it judged. */
export const SESSION_TURNS_KEY = "vigil.session.turns";
export const SESSION_TURNS_SCORED_KEY = "vigil.session.turns_scored";

type Outcome =
  | { t: SessionTaskRow; pair?: Pair; drop: "trace_deleted" | "scorer_deleted" }
  | { t: SessionTaskRow; pair: Pair; already: true }
  | { t: SessionTaskRow; pair: Pair; write: PairWrite; score: SessionScore };

async function scoreTask(e: EngineCtx, ports: SessionPorts, t: SessionTaskRow, cache: Map<string, EngineScorer | undefined>): Promise<Outcome> {
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
    write.row.metadata = JSON.stringify(md);
  }
  return { t, pair, write, score: { ...key, turns: refs.length, jobId: t.job_id } };
}

async function pool<T, R>(items: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function record(e: EngineCtx, ports: SessionPorts, outcomes: readonly Outcome[]): number {
  const now = e.ctx.now();
  const rec = new Recorder(e.ctx.db, now, e.workerId, e.store.sink);
  e.ctx.db.$client
    .transaction(() => {
      for (const o of outcomes) {
        if ("drop" in o) dropTask(rec, o.t, o.pair, o.drop);
        else if ("already" in o) {
          if (rec.completeTask(o.t.task_id)) rec.skip(o.pair, o.t.job_id, "already_scored");
        } else if (o.write.type === "assessment") {
          // Removing the task first is the guard: if this worker lost it, someone else records it.
          if (!rec.completeTask(o.t.task_id)) continue;
          o.write.row.createTime = now;
          if (!ports.sink.insert(o.write.row, o.score)) {
            rec.skip(o.pair, o.t.job_id, "already_scored");
            continue;
          }
          rec.written(o.pair, o.t.job_id, o.write.stage, o.write.reason);
          if (o.write.usage) rec.usage(o.pair, o.write.usage);
        } else if (o.write.type === "retry") rec.retryTask(o.t.task_id, o.pair, o.t.job_id, o.write);
        else {
          rec.pause(o.pair, o.write.reason);
          rec.releaseTask(o.t.task_id, o.write.reason);
        }
      }
      rec.flush();
    })
    .immediate();
  return rec.assessmentsWritten;
}

export interface SessionRunResult {
  tasks: number;
  assessments: number;
}

/**
 * One batch of session tasks: code scorers' all at once, and at most VIGIL_JUDGE_CONCURRENCY
 * judge sessions (claimed apart, so a judge backlog never holds code sessions back), then one
 * transaction for the batch.
 */
export async function sessionTaskStep(e: EngineCtx): Promise<SessionRunResult> {
  const ports = e.store.sessions;
  if (!ports) return { tasks: 0, assessments: 0 };
  const code = claimSessionTasks(e, "session", e.batchSize);
  const judges = claimSessionTasks(e, "session_judge", e.judgeConcurrency);
  if (code.length + judges.length === 0) return { tasks: 0, assessments: 0 };
  const cache = new Map<string, EngineScorer | undefined>();
  const [a, b] = await Promise.all([
    pool(code, code.length, (t) => scoreTask(e, ports, t, cache)),
    pool(judges, e.judgeConcurrency, (t) => scoreTask(e, ports, t, cache)),
  ]);
  return { tasks: code.length + judges.length, assessments: record(e, ports, [...a, ...b]) };
}
