// The engine's two ports (docs/architecture.md). A store (Vigil's own, lib/embedded, or a
// remote MLflow over REST, lib/remote) implements both; the engine never imports one. Ports are
// asynchronous and say nothing of SQLite, so a Postgres store can implement them too. The only
// real difference between the stores is AssessmentSink.atomic.
import type { TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import type { JobParams, JobRow } from "./jobs/job-params";
import type { AssessmentInsert } from "./outcomes";

/** A complete trace as a source hands it out: enough to sample it and to count it. */
export interface SourceTrace {
  traceId: string;
  experimentId: number;
  /** The trace's timestamp (request time): cursors move in (timeMs, traceId) order. */
  timeMs: number;
  /** The store's TraceInfo when it came with the page (a remote store's search answers). */
  info?: TraceInfoV3;
}

export interface OnlinePage {
  traces: SourceTrace[];
  /** Full traces loaded for filters (or already at hand); others are loaded when scored. */
  data: Map<string, TraceData>;
  /** Traces taken off the source with this page (those left out of `traces` included). */
  taken: number;
  /** The page was as long as asked: more is probably waiting. */
  full: boolean;
  /**
   * Takes the page off the source; called inside the intake transaction, so the page is taken
   * exactly when its pairs are queued. Returns the trace ids another worker took first (nothing
   * is recorded for them), or "lost" when the whole page was.
   */
  consume(): ReadonlySet<string> | "lost";
}

/** Where a job's scan stands: a keyset cursor and how many traces it has looked at. */
export interface JobCursor {
  ts: number | null;
  traceId: string | null;
  scanned: number;
}

export interface JobPage {
  traces: SourceTrace[];
  data: Map<string, TraceData>;
  /** The cursor after this page. */
  next: JobCursor;
  /** Listed trace ids the store does not have: their pairs count as skipped. */
  missing: number;
  /** The selection is exhausted (this page may still hold traces). */
  done: boolean;
}

/** What intake needs of an experiment's traces: nothing (no scorer samples), their info, or full traces for filters. */
export type TraceNeed = "skip" | "info" | "data";

export interface TraceSource {
  /**
   * The next page of complete, monitored traces (not evaluation-run ones) for online scoring,
   * or null when nothing new is there. A source may leave out traces whose need is "skip".
   */
  onlinePage(limit: number, need: (experimentId: number) => TraceNeed): Promise<OnlinePage | null>;
  /** The next page of a job's selection after `cursor`. */
  jobPage(job: JobRow, p: JobParams, cursor: JobCursor, limit: number, wantData: boolean): Promise<JobPage>;
  /** Full traces by id; ids the store does not have are absent. Never a partly loaded trace. */
  loadTraces(traceIds: readonly string[]): Promise<Map<string, TraceData>>;
  /**
   * Whether scoring needs traces loaded through loadTraces (true), or code scorers may read
   * them from the database they share with the store (a scoring thread does).
   */
  readonly preload: boolean;
  /** Whether the store's own scheduler runs this scorer online in this experiment (then Vigil does not). */
  scoredElsewhere(experimentId: number, serializedScorer: string): boolean;
}

/** An assessment as the store holds it: the id and its value or error as JSON text. */
export interface StoredAssessment {
  assessmentId: string;
  value: string | null;
  error: string | null;
}

export interface PairRef {
  traceId: string;
  experimentId: number;
  traceTimeMs: number;
  scorerId: string;
  scorerName: string;
  scorerVersion: number;
  jobId: string | null;
}

export type SinkWrite =
  | { status: "written"; assessment: StoredAssessment; found: boolean }
  /** The store did not answer: the pair stays queued and is tried again. */
  | { status: "unavailable"; error: string }
  /** The trace is gone from the store. */
  | { status: "trace_gone" }
  /** The store refused the assessment itself: recorded as skipped, not retried. */
  | { status: "rejected"; error: string };

/** Pairs already assessed, by pairKey; `found` are ones the ledger did not know yet. */
export interface Scored {
  keys: Set<string>;
  found: { pair: PairRef; assessment: StoredAssessment }[];
}

interface SinkBase {
  /** Which (trace, scorer, version) pairs among these traces already have their assessment. */
  scored(traces: readonly SourceTrace[]): Promise<Scored>;
}

/** Writes inside the engine's own transaction: the assessment and the ledger commit together. */
export interface AtomicSink extends SinkBase {
  readonly atomic: true;
  /** Inserts the rows (a second one for a pair is refused); returns the ids that went in. Inside the transaction. */
  insert(rows: readonly AssessmentInsert[]): Set<string>;
  /**
   * Score again (a job with `rescore`): each row replaces its pair's valid assessment from another
   * run, which stays, marked valid=false, and the row's `overrides` names it (MLflow's Assessment
   * fields). A pair whose valid assessment is the row's own run's is left alone: one valid
   * assessment per pair and run. Returns the ids that went in. Inside the transaction.
   */
  supersede(rows: readonly AssessmentInsert[]): Set<string>;
}

/**
 * Writes to another system, then the engine records the write in its ledger. Exactly once rests
 * on markers: `attempted` says a create may have landed without an answer, so the sink looks
 * first; `markAttempted` is made durable before a create is sent.
 */
export interface RemoteSink extends SinkBase {
  readonly atomic: false;
  /** Writes in flight at once. */
  readonly concurrency: number;
  write(pair: PairRef, row: AssessmentInsert, attempted: boolean, markAttempted: () => void): Promise<SinkWrite>;
  /** The pair's assessment already on a loaded trace (the store's markers), if any. */
  onTrace(trace: TraceData, scorerId: string, scorerVersion: number): StoredAssessment | undefined;
  /** Records written pairs in Vigil's ledger and metric points. Inside the transaction. */
  record(written: readonly { pair: PairRef; assessment: StoredAssessment }[]): void;
}

export type AssessmentSink = AtomicSink | RemoteSink;

// Session scoring (lib/engine/sessions, docs/sessions.md).
// What the engine needs of a store to score sessions (docs/sessions.md): complete sessions
// waiting for sampling, a session's turns in order, and a sink that supersedes the session's
// older assessment of a scorer when it writes the new one. A store without them scores no sessions.
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

/** Which verdict: the session, the scorer version and the set of turns. */
export type SessionKey = Omit<SessionScore, "turns" | "jobId" | "timeMs" | "shadow">;

/** A session's assessment as the ledger records it, with the set of turns it judged. */
export interface SessionScore {
  experimentId: number;
  sessionId: string;
  scorerId: string;
  scorerVersion: number;
  turnsKey: string;
  turns: number;
  jobId: string | null;
  /** The first turn's request time: where the verdict falls in trends. */
  timeMs: number;
  /** Made by a running shadow version: it supersedes its own version's verdicts only, and none supersede it but its own. */
  shadow: boolean;
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

interface SessionSinkBase {
  /** Whether this exact set of turns was already scored by this scorer version (the ledger). */
  scored(score: SessionKey): Promise<boolean>;
}

/** The store's own database: the assessment commits with the ledger row and the removed task. */
export interface AtomicSessionSink extends SessionSinkBase {
  readonly atomic: true;
  /**
   * Inside the transaction: the ledger row, the session's earlier valid assessments of the scorer
   * marked invalid, and the new one (overriding the latest of them). False, and nothing written,
   * when the ledger already holds this set of turns.
   */
  insert(row: AssessmentInsert, score: SessionScore): boolean;
}

/**
 * Another system (a remote MLflow): the assessment is written there first, exactly once by its
 * markers (as RemoteSink), superseding the session's older verdict there; then the ledger records it.
 */
export interface RemoteSessionSink extends SessionSinkBase {
  readonly atomic: false;
  /** `attempted`: a create may have landed without an answer (look first); `markAttempted` is made durable before a create is sent. */
  write(row: AssessmentInsert, score: SessionScore, attempted: boolean, markAttempted: () => void): Promise<SinkWrite>;
  /** Inside the transaction: the ledger row and the read models. False when the ledger already held this set of turns. */
  record(row: AssessmentInsert, score: SessionScore, assessment: StoredAssessment): boolean;
}

export type SessionSink = AtomicSessionSink | RemoteSessionSink;

export interface SessionPorts {
  source: SessionSource;
  sink: SessionSink;
}

/** A store as the engine sees it: its two ports and its own upkeep each pass. */
export interface EngineStore {
  readonly kind: "embedded" | "remote";
  source: TraceSource;
  sink: AssessmentSink;
  /** Session scoring (lib/engine/sessions); absent: the store scores no sessions. */
  sessions?: SessionPorts;
  /** The store's own work before each pass (quiet traces, syncing with MLflow); returns how much it did. */
  upkeep(): Promise<number>;
}

export const pairKey = (traceId: string, scorerId: string, version: number) => `${traceId}\u0000${scorerId}\u0000${version}`;
