// What the engine needs of a store to score sessions (docs/sessions.md): complete sessions
// waiting for sampling, a session's turns in order, and a sink that supersedes the session's
// older assessment of a scorer when it writes the new one. A store without them scores no sessions.
import type { TraceData } from "@/lib/mlflow/types";
import type { AssessmentInsert } from "../outcomes";

/** A session whose latest turn joined before the completion buffer, not yet sampled at its revision. */
export interface DueSession {
  experimentId: number;
  sessionId: string;
  /** Turns joined so far: sampling is recorded against it (a join meanwhile keeps the session due). */
  revision: number;
  lastJoinedAt: number;
  /** The earliest turn's request time: the funnel bucket of the session's outcomes. */
  firstTimeMs: number;
  turns: number;
  /** Why the session is not scored at all (its id is over the limit); intake sets it, consume() stores it. */
  skipReason: string | null;
}

export interface TurnRef {
  traceId: string;
  /** Request time: turns are ordered by it, ties by trace id. */
  timeMs: number;
}

/** A session's assessment as the ledger records it, with the set of turns it judged. */
export interface SessionScore {
  experimentId: number;
  sessionId: string;
  scorerId: string;
  scorerVersion: number;
  turnsKey: string;
  turns: number;
  jobId: string | null;
}

export interface SessionSource {
  /** Complete sessions (last join at or before `cutoff`) waiting for sampling, oldest join first. */
  duePage(limit: number, cutoff: number): Promise<DueSession[]>;
  /**
   * Records that these sessions were sampled at their revision and moves each experiment's
   * checkpoint; inside the intake transaction. A session a turn joined meanwhile stays due.
   */
  consume(sessions: readonly DueSession[], now: number): void;
  /** The session's monitored turns in order (evaluation-run traces left out). */
  turnRefs(experimentId: number, sessionId: string): Promise<TurnRef[]>;
  /** The session id (trace metadata mlflow.trace.session) of each listed trace that has one. */
  sessionsOf(experimentId: number, traceIds: readonly string[]): Promise<Map<string, string>>;
  /** Full traces by id; ids the store does not have are absent. */
  loadTraces(traceIds: readonly string[]): Promise<Map<string, TraceData>>;
}

export interface SessionSink {
  /** Whether this exact set of turns was already scored by this scorer version. */
  scored(score: Omit<SessionScore, "turns" | "jobId">): Promise<boolean>;
  /**
   * Inside the transaction: the ledger row, the session's earlier valid assessments of the scorer
   * marked invalid, and the new one (overriding the latest of them). False, and nothing written,
   * when the ledger already holds this set of turns.
   */
  insert(row: AssessmentInsert, score: SessionScore): boolean;
}

export interface SessionPorts {
  source: SessionSource;
  sink: SessionSink;
}
