import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { isLinkedExperiment } from "@/lib/remote/linked";
import { INSERT_ARCHIVED_POINTS_SQL, INSERT_EXPERIMENT_POINTS_SQL, insertRollupsSql } from "./point-sql";

export const RebuildRollupsInput = z.object({ experimentId: experimentIdString });
export type RebuildRollupsInput = z.input<typeof RebuildRollupsInput>;

export interface RebuildResult {
  points: number;
  fromArchive: number;
  fromHotStore: number;
  buckets: number;
}

/**
 * Rebuilds an experiment's points and rollups from scratch: the hot store for traces it still
 * holds (its assessments are the latest truth), the archive for traces retention has deleted.
 * Scores of a trace deleted without being archived cannot come back, and are dropped.
 */
export function rebuildRollups({ ctx, input }: VerbArgs<RebuildRollupsInput>): RebuildResult {
  const { experimentId } = RebuildRollupsInput.parse(input);
  requireRole(ctx.actor, "admin", experimentId);
  const sqlite = ctx.db.$client;
  if (isLinkedExperiment(ctx.db, experimentId)) {
    // A remote MLflow's experiment: its points are the record of what Vigil wrote there (no hot
    // store or archive here to derive them from again), so only the rollups are recomputed.
    return sqlite.transaction((): RebuildResult => {
      sqlite.prepare("DELETE FROM metric_rollups WHERE experiment_id = ?").run(experimentId);
      const points = sqlite.prepare("SELECT COUNT(*) FROM metric_points WHERE experiment_id = ?").pluck().get(experimentId) as number;
      const buckets = sqlite.prepare(insertRollupsSql("experiment_id = @e")).run({ e: experimentId, now: ctx.now() }).changes;
      return { points, fromArchive: 0, fromHotStore: 0, buckets };
    }).immediate();
  }
  return sqlite.transaction((): RebuildResult => {
    sqlite.prepare("DELETE FROM metric_points WHERE experiment_id = ?").run(experimentId);
    sqlite.prepare("DELETE FROM metric_rollups WHERE experiment_id = ?").run(experimentId);
    const fromHotStore = sqlite.prepare(INSERT_EXPERIMENT_POINTS_SQL).run(experimentId).changes;
    const fromArchive = sqlite.prepare(INSERT_ARCHIVED_POINTS_SQL).run(experimentId).changes;
    const buckets = sqlite.prepare(insertRollupsSql("experiment_id = @e")).run({ e: experimentId, now: ctx.now() }).changes;
    // Everything queued for this experiment is now reflected.
    sqlite.prepare("DELETE FROM metrics_queue WHERE trace_id IN (SELECT trace_id FROM traces WHERE experiment_id = ?)").run(experimentId);
    return { points: fromHotStore + fromArchive, fromArchive, fromHotStore, buckets };
  }).immediate();
}
