// Where an experiment's traces are held. An experiment linked to a remote MLflow (lib/remote
// records the link when it links one) keeps its traces there, and Vigil's `traces` table has none
// of them. Verbs that read traces from Vigil's tables ask this instead of asking the store.
import { cachedStatement } from "@/db/cached-statement";
import type { Db } from "@/db/client";

/** Whether the experiment's traces are held by a remote MLflow (it is linked to one), not by Vigil's own tables. */
export function tracesHeldByMlflow(db: Db, experimentId: number): boolean {
  return cachedStatement(db.$client, "SELECT 1 FROM remote_experiments WHERE experiment_id = ?").pluck().get(experimentId) !== undefined;
}
