// remote_scored, the ledger of the MLflow-REST store: what Vigil wrote onto MLflow's traces, one row
// per (trace, scorer version).
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";
import { IDS, selectIn } from "@/db/in-chunks";
import { pairKey } from "@/lib/engine/ports";

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
  cachedStatement(
    db,
    `INSERT INTO remote_scored (trace_id, scorer_id, scorer_version, experiment_id, assessment_id, name, value, is_error, job_id, scored_at)
     VALUES (@traceId, @scorerId, @scorerVersion, @experimentId, @assessmentId, @name, @value, @isError, @jobId, @at) ON CONFLICT DO NOTHING`,
  ).run({ ...r, isError: r.isError ? 1 : 0 });
}

/** The (trace, scorer, version) pairs among `traceIds` that Vigil wrote, as pairKeys. */
export function scoredKeys(db: Database.Database, traceIds: readonly string[]): Set<string> {
  const out = new Set<string>();
  const rows = selectIn<{ trace_id: string; scorer_id: string; scorer_version: number }>(
    db,
    `SELECT trace_id, scorer_id, scorer_version FROM remote_scored WHERE trace_id IN ${IDS}`,
    traceIds,
  );
  for (const r of rows) out.add(pairKey(r.trace_id, r.scorer_id, r.scorer_version));
  return out;
}
