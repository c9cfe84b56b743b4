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

const COLUMNS = "experiment_id, remote_experiment_id, scored_by, cursor_ts, cursor_trace_id";

export function listLinks(db: Database.Database): ExperimentLink[] {
  return cachedStatement(db, `SELECT ${COLUMNS} FROM remote_experiments ORDER BY experiment_id`).all() as ExperimentLink[];
}

export function findLink(db: Database.Database, experimentId: number): ExperimentLink | undefined {
  return cachedStatement(db, `SELECT ${COLUMNS} FROM remote_experiments WHERE experiment_id = ?`).get(experimentId) as ExperimentLink | undefined;
}
