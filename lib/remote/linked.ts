import { cachedStatement } from "@/db/cached-statement";
import type { Db } from "@/db/client";

/** The experiment id the MLflow store knows: the remote one for a linked experiment, else the same. */
export function storeExperimentId(db: Db, experimentId: number | string): string {
  const remote = db.$client.prepare("SELECT remote_experiment_id FROM remote_experiments WHERE experiment_id = ?").pluck().get(Number(experimentId)) as
    string | undefined;
  return remote ?? String(experimentId);
}

/** The local experiment linked to a remote MLflow experiment id; null when none is linked. */
export function localExperimentId(db: Db, remoteExperimentId: string): number | null {
  const id = cachedStatement(db.$client, "SELECT experiment_id FROM remote_experiments WHERE remote_experiment_id = ?").pluck().get(remoteExperimentId) as
    number | undefined;
  return id ?? null;
}
