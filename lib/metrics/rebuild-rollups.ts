import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
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
 * Rebuilds an experiment's points and rollups from scratch, the same way for both stores: points
 * of traces Vigil holds come again from them (the hot store, whose assessments are the latest
 * truth, then the archive for traces retention has deleted). Points of assessments Vigil wrote to
 * a store it does not hold (a remote MLflow; its ledger, remote_scored) are the record itself and
 * are kept. Scores of a trace deleted without being archived cannot come back, and are dropped.
 */
export function rebuildRollups({ ctx, input }: VerbArgs<RebuildRollupsInput>): RebuildResult {
  const { experimentId } = RebuildRollupsInput.parse(input);
  requireRole(ctx.actor, "admin", experimentId);
  const sqlite = ctx.db.$client;
  return sqlite
    .transaction((): RebuildResult => {
      sqlite
        .prepare(
          "DELETE FROM metric_points WHERE experiment_id = @e AND assessment_id NOT IN (SELECT assessment_id FROM remote_scored WHERE experiment_id = @e)",
        )
        .run({ e: experimentId });
      sqlite.prepare("DELETE FROM metric_rollups WHERE experiment_id = ?").run(experimentId);
      const fromHotStore = sqlite.prepare(INSERT_EXPERIMENT_POINTS_SQL).run(experimentId).changes;
      const fromArchive = sqlite.prepare(INSERT_ARCHIVED_POINTS_SQL).run(experimentId).changes;
      const kept = sqlite.prepare("SELECT COUNT(*) FROM metric_points WHERE experiment_id = ?").pluck().get(experimentId) as number;
      const buckets = sqlite.prepare(insertRollupsSql("experiment_id = @e")).run({ e: experimentId, now: ctx.now() }).changes;
      // Everything queued for this experiment is now reflected.
      sqlite.prepare("DELETE FROM metrics_queue WHERE trace_id IN (SELECT trace_id FROM traces WHERE experiment_id = ?)").run(experimentId);
      return { points: kept, fromArchive, fromHotStore, buckets };
    })
    .immediate();
}
