import { stmt } from "./stmt";
import type { Db } from "@/db/client";

/** Whether a local experiment mirrors one on a remote MLflow (its traces live there, not here). */
export function isLinkedExperiment(db: Db, experimentId: number): boolean {
  return stmt(db.$client, "SELECT 1 FROM remote_experiments WHERE experiment_id = ?").pluck().get(experimentId) !== undefined;
}
