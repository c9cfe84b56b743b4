// remote_scored: what Vigil wrote onto MLflow's traces, one row per (trace, scorer version).
import type Database from "better-sqlite3";
import { stmt } from "./stmt";

export interface ScoredRow {
  traceId: string;
  scorerId: string;
  scorerVersion: number;
  experimentId: number;
  assessmentId: string;
  name: string;
  /** JSON text of the value, or null for an error. */
  value: string | null;
  isError: boolean;
  jobId: string | null;
  at: number;
}

/** Records a written pair; a second record of the same pair is ignored. */
export function recordScored(db: Database.Database, r: ScoredRow): void {
  stmt(
    db,
    `INSERT INTO remote_scored (trace_id, scorer_id, scorer_version, experiment_id, assessment_id, name, value, is_error, job_id, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(r.traceId, r.scorerId, r.scorerVersion, r.experimentId, r.assessmentId, r.name, r.value, r.isError ? 1 : 0, r.jobId, r.at);
}
