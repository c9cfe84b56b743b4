// The embedded store's session ports: sessions are tracked in engine_sessions by triggers on
// `traces` (migration 0022), turns are read through the metadata index on mlflow.trace.session,
// and a session's assessment is written, and its predecessor superseded, in the engine's transaction.
import type Database from "better-sqlite3";
import { IDS, selectIn } from "@/db/in-chunks";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import type { SessionPorts, SessionScore, TurnRef } from "@/lib/engine/sessions/ports";
import { consumeSessions, dueSessions, recordSessionScore, sessionScored, sessionVerdicts } from "@/lib/engine/sessions/session-table";
import { loadTraceBatch } from "@/lib/engine/trace-batch";

// The expression must be the one the metadata index uses (migration 0009).
const SESSION_OF = `trace_metadata ->> '$."mlflow.trace.session"'`;

export function embeddedSessions(db: Database.Database): SessionPorts {
  const turns = db.prepare(
    // INDEXED BY: without statistics the planner would scan the experiment's traces per session.
    `SELECT trace_id AS traceId, request_time AS timeMs FROM traces INDEXED BY traces_meta_session_idx
     WHERE experiment_id = ? AND ${SESSION_OF} = ? AND completed_at IS NOT NULL
       AND (trace_metadata NOT LIKE '%mlflow.sourceRun%' OR trace_metadata ->> '$."mlflow.sourceRun"' IS NULL)
     ORDER BY request_time, trace_id`,
  );
  const stillValid = db.prepare("SELECT 1 FROM assessments WHERE assessment_id = ? AND valid = 1");
  const invalidate = db.prepare("UPDATE assessments SET valid = 0, last_update_time = ? WHERE assessment_id = ?");
  const insert = db.prepare(
    `INSERT INTO assessments (assessment_id, trace_id, experiment_id, name, source_type, source_id, kind, value, error,
       rationale, metadata, overrides, valid, create_time, last_update_time, scorer_id, scorer_version, run_id)
     VALUES (@assessmentId, @traceId, @experimentId, @name, @sourceType, @sourceId, 'feedback', @value, @error,
       @rationale, @metadata, @overrides, 1, @createTime, @createTime, @scorerId, @scorerVersion, @runId)`,
  );

  return {
    source: {
      duePage: async (limit, cutoff) => dueSessions(db, limit, cutoff),
      consume: (sessions, now) => consumeSessions(db, sessions, now),
      turnRefs: async (experimentId, sessionId) => turns.all(experimentId, sessionId) as TurnRef[],
      async sessionsOf(experimentId, traceIds) {
        const out = new Map<string, string>();
        const found = selectIn<{ trace_id: string; sid: string }>(
          db,
          `SELECT trace_id, ${SESSION_OF} AS sid FROM traces WHERE experiment_id = ? AND trace_id IN ${IDS} AND ${SESSION_OF} IS NOT NULL`,
          traceIds,
          { before: [experimentId] },
        );
        for (const r of found) out.set(r.trace_id, String(r.sid));
        return out;
      },
      loadTraces: async (ids) => loadTraceBatch(db, ids),
    },
    sink: {
      atomic: true,
      scored: async (s) => sessionScored(db, s),
      insert(row: AssessmentInsert, score: SessionScore): boolean {
        if (!recordSessionScore(db, score, row.assessmentId, row.traceId, row.createTime)) return false;
        // Re-scoring keeps history: the older verdicts stay, invalid, and the new one overrides the latest.
        const older = sessionVerdicts(db, score.experimentId, score.sessionId, score.scorerId, score)
          .filter((v) => v.assessmentId !== row.assessmentId && stillValid.get(v.assessmentId) !== undefined)
          .map((v) => v.assessmentId);
        for (const id of older) invalidate.run(row.createTime, id);
        insert.run({ ...row, overrides: older[0] ?? null });
        return true;
      },
    },
  };
}
