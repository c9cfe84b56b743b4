// The engine's own session state, the same in both stores: engine_sessions (the sessions met and
// the turns joined; filled by triggers on `traces` in the embedded store, by the trace scan in the
// remote one), the session checkpoint per experiment, and the ledger engine_session_scores.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";
import { shadowScoreSql } from "@/lib/metrics/point-sql";
import type { DueSession, SessionKey, SessionScore } from "./ports";

interface DueRow {
  experiment_id: number;
  session_id: string;
  revision: number;
  last_joined_at: number;
  first_time_ms: number;
  turns: number;
  skip_reason: string | null;
}

/** Complete sessions (last join at or before `cutoff`) not yet sampled at their revision, oldest join first. */
export function dueSessions(db: Database.Database, limit: number, cutoff: number): DueSession[] {
  const rows = cachedStatement(
    db,
    `SELECT experiment_id, session_id, revision, last_joined_at, first_time_ms, turns, skip_reason FROM engine_sessions
     WHERE revision > sampled_revision AND last_joined_at <= ? ORDER BY last_joined_at, session_id LIMIT ?`,
  ).all(cutoff, limit) as DueRow[];
  return rows.map((r) => ({
    experimentId: r.experiment_id,
    sessionId: r.session_id,
    revision: r.revision,
    lastJoinedAt: r.last_joined_at,
    firstTimeMs: r.first_time_ms,
    turns: r.turns,
    skipReason: r.skip_reason,
  }));
}

/** Marks sessions sampled at their revision (one a turn joined meanwhile stays due) and moves each experiment's checkpoint. */
export function consumeSessions(db: Database.Database, sessions: readonly DueSession[], now: number): void {
  const sampled = cachedStatement(
    db,
    "UPDATE engine_sessions SET sampled_revision = ?, skip_reason = ? WHERE experiment_id = ? AND session_id = ? AND revision = ?",
  );
  const checkpoint = cachedStatement(
    db,
    `INSERT INTO engine_session_checkpoints (experiment_id, timestamp_ms, session_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, session_id = excluded.session_id, updated_at = excluded.updated_at`,
  );
  const last = new Map<number, DueSession>();
  for (const s of sessions) {
    if (sampled.run(s.revision, s.skipReason, s.experimentId, s.sessionId, s.revision).changes === 1) last.set(s.experimentId, s);
  }
  for (const s of last.values()) checkpoint.run(s.experimentId, s.lastJoinedAt, s.sessionId, now);
}

export interface Join {
  experimentId: number;
  sessionId: string;
  /** The turn's request time. */
  timeMs: number;
  /** When the turn joined: the buffer counts from the latest join. */
  joinedAt: number;
}

/** A turn joins its session (the embedded store's triggers do the same on `traces`). */
export function joinSessions(db: Database.Database, joins: readonly Join[]): void {
  const st = cachedStatement(
    db,
    `INSERT INTO engine_sessions (experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision)
     VALUES (@experimentId, @sessionId, @timeMs, @timeMs, 1, @joinedAt, 1)
     ON CONFLICT (experiment_id, session_id) DO UPDATE SET
       first_time_ms = min(first_time_ms, excluded.first_time_ms), last_time_ms = max(last_time_ms, excluded.last_time_ms),
       turns = turns + 1, last_joined_at = max(last_joined_at, excluded.last_joined_at), revision = revision + 1`,
  );
  for (const j of joins) st.run(j);
}

/** Whether the ledger holds this set of turns for this scorer version. */
export function sessionScored(db: Database.Database, s: SessionKey): boolean {
  return (
    cachedStatement(
      db,
      "SELECT 1 FROM engine_session_scores WHERE experiment_id = ? AND session_id = ? AND scorer_id = ? AND scorer_version = ? AND turns_key = ?",
    ).get(s.experimentId, s.sessionId, s.scorerId, s.scorerVersion, s.turnsKey) !== undefined
  );
}

/** Adds the ledger row; false when this set of turns was already recorded. */
export function recordSessionScore(db: Database.Database, s: SessionScore, assessmentId: string, traceId: string, createdAt: number): boolean {
  return (
    cachedStatement(
      db,
      `INSERT INTO engine_session_scores (experiment_id, session_id, scorer_id, scorer_version, turns_key, turns, assessment_id, trace_id, job_id, created_at)
       VALUES (@experimentId, @sessionId, @scorerId, @scorerVersion, @turnsKey, @turns, @assessmentId, @traceId, @jobId, @createdAt) ON CONFLICT DO NOTHING`,
    ).run({
      experimentId: s.experimentId,
      sessionId: s.sessionId,
      scorerId: s.scorerId,
      scorerVersion: s.scorerVersion,
      turnsKey: s.turnsKey,
      turns: s.turns,
      jobId: s.jobId,
      assessmentId,
      traceId,
      createdAt,
    }).changes === 1
  );
}

/** The version a new verdict comes from: a running shadow's verdicts form a line apart from the live one's. */
export interface VerdictLine {
  scorerVersion: number;
  shadow: boolean;
}

/**
 * The ledger verdicts a new verdict of this line supersedes, newest first: a shadow's supersede its
 * own version's only; a live version's supersede every verdict made live (any version) and its
 * own version's (made while it was a shadow, before its promotion), never a shadow's.
 */
export function sessionVerdicts(
  db: Database.Database,
  experimentId: number,
  sessionId: string,
  scorerId: string,
  line: VerdictLine,
): { assessmentId: string; traceId: string; scorerVersion: number }[] {
  return cachedStatement(
    db,
    `SELECT l.assessment_id AS assessmentId, l.trace_id AS traceId, l.scorer_version AS scorerVersion FROM engine_session_scores l
     WHERE l.experiment_id = ? AND l.session_id = ? AND l.scorer_id = ?
       AND (l.scorer_version = ? OR (? = 0 AND NOT ${shadowScoreSql("l.scorer_id", "l.scorer_version", "l.created_at")}))
     ORDER BY l.created_at DESC, l.rowid DESC`,
  ).all(experimentId, sessionId, scorerId, line.scorerVersion, line.shadow ? 1 : 0) as { assessmentId: string; traceId: string; scorerVersion: number }[];
}
