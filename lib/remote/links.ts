// remote_experiments: which local experiment mirrors which remote one, who scores it, and where
// online scoring's cursor stands.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";

export interface ExperimentLink {
  experiment_id: number;
  remote_experiment_id: string;
  scored_by: "vigil" | "mlflow";
  cursor_ts: number;
  cursor_trace_id: string;
}

// The cursor is the experiment's row in checkpoints, the one cursor table of both stores.
// scored_by is who scores in effect: Vigil whenever the server has no online scoring (server-version.ts).
const SELECT = `SELECT r.experiment_id, r.remote_experiment_id,
    CASE WHEN s.online_scoring = 0 THEN 'vigil' ELSE r.scored_by END AS scored_by, c.timestamp_ms AS cursor_ts, c.trace_id AS cursor_trace_id
  FROM remote_experiments r JOIN checkpoints c ON c.experiment_id = r.experiment_id LEFT JOIN remote_status s ON s.id = 1`;

export function listLinks(db: Database.Database): ExperimentLink[] {
  return cachedStatement(db, `${SELECT} ORDER BY r.experiment_id`).all() as ExperimentLink[];
}

export function findLink(db: Database.Database, experimentId: number): ExperimentLink | undefined {
  return cachedStatement(db, `${SELECT} WHERE r.experiment_id = ?`).get(experimentId) as ExperimentLink | undefined;
}

/** Sets where online scoring of the experiment starts (linking it, or switching who scores). */
export function setCursor(db: Database.Database, experimentId: number, ts: number, now: number): void {
  cachedStatement(
    db,
    `INSERT INTO checkpoints (experiment_id, timestamp_ms, trace_id, updated_at) VALUES (?, ?, '', ?)
     ON CONFLICT (experiment_id) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, trace_id = '', updated_at = excluded.updated_at`,
  ).run(experimentId, ts, now);
}
