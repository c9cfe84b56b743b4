// Turns sampled (trace, scorer) decisions into rows of remote_pairs, skipping pairs Vigil already
// wrote (its local ledger, or its marker on the trace MLflow answered with).
import { stmt } from "./stmt";
import type Database from "better-sqlite3";
import type { EngineScorer } from "@/lib/engine/scorer-set";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { parseRfc3339 } from "@/lib/mlflow/proto-json";
import { recordScored } from "./ledger";
import { feedbackColumns, findOurs } from "./markers";

export interface QueuedPair {
  info: TraceInfoV3;
  scorer: EngineScorer;
}

export const traceTimeOf = (info: Pick<TraceInfoV3, "request_time">): number => parseRfc3339(info.request_time) ?? 0;

/** (ts, id) order, the order MLflow's search answers in and the cursors move in. */
export function after(ts: number, id: string, cursorTs: number, cursorId: string): boolean {
  return ts > cursorTs || (ts === cursorTs && id > cursorId);
}

export interface QueueResult {
  queued: number;
  /** Already written by Vigil (the ledger or the trace says so). */
  alreadyScored: QueuedPair[];
}

/** Inserts the pairs; call inside the transaction that moves the cursor they were read under. */
export function queuePairs(db: Database.Database, pairs: readonly QueuedPair[], jobId: string | null, now: number): QueueResult {
  const scored = stmt(db, "SELECT 1 FROM remote_scored WHERE trace_id = ? AND scorer_id = ? AND scorer_version = ?").pluck();
  const insert = stmt(db, 
    `INSERT INTO remote_pairs (experiment_id, trace_id, trace_time_ms, scorer_id, scorer_name, scorer_version, job_id, priority, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const out: QueueResult = { queued: 0, alreadyScored: [] };
  for (const p of pairs) {
    const s = p.scorer;
    const id = p.info.trace_id;
    if (scored.get(id, s.scorerId, s.version)) {
      out.alreadyScored.push(p);
      continue;
    }
    const ours = findOurs(p.info, s.scorerId, s.version);
    if (ours) {
      // Written before Vigil's ledger knew (a crash between MLflow's answer and the commit).
      recordScored(db, {
        traceId: id,
        scorerId: s.scorerId,
        scorerVersion: s.version,
        experimentId: s.experimentId,
        assessmentId: ours.assessment_id,
        name: s.name,
        value: feedbackColumns(ours).value,
        isError: Boolean(ours.feedback?.error),
        jobId,
        at: now,
      });
      out.alreadyScored.push(p);
      continue;
    }
    const r = insert.run(s.experimentId, id, traceTimeOf(p.info), s.scorerId, s.name, s.version, jobId, jobId === null ? 0 : 1, now, now);
    if (r.changes === 1) out.queued++;
    else out.alreadyScored.push(p);
  }
  return out;
}
