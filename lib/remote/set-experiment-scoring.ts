import { cachedStatement } from "@/db/cached-statement";
import { setCursor } from "./links";
import { z } from "zod";
import { InvalidStateError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { storedCapabilities } from "./server-version";
import { recordAudit } from "@/lib/audit";
import { scoredByValues } from "@/db/schema/remote";

export const SetExperimentScoringInput = z.object({
  experiment_id: z.coerce.number().int(),
  scored_by: z.enum(scoredByValues, { error: "must be 'vigil' or 'mlflow'" }),
});
export type SetExperimentScoringInput = z.input<typeof SetExperimentScoringInput>;

/**
 * Chooses who runs online scoring of a remote experiment. Vigil: it scores from now on and sets
 * every scorer's rate on MLflow to 0, so MLflow's scheduler does not score the same traces.
 * MLflow: Vigil stops taking new traces (pairs already queued are finished) and pushes the real
 * sampling configs to MLflow. The scorer sync carries the configs over on its next pass.
 */
export function setExperimentScoring({ ctx, input }: VerbArgs<SetExperimentScoringInput>): { experiment_id: string; scored_by: string } {
  const i = SetExperimentScoringInput.parse(input);
  requireRole(ctx.actor, "admin", i.experiment_id);
  const db = ctx.db.$client;
  return db
    .transaction(() => {
      const row = cachedStatement(db, "SELECT scored_by FROM remote_experiments WHERE experiment_id = ?").get(i.experiment_id) as
        { scored_by: string } | undefined;
      if (!row) throw new NotFoundError(`Experiment ${i.experiment_id} is not linked to a remote MLflow experiment (is MLFLOW_TRACKING_URI set?).`);
      const caps = storedCapabilities(db);
      if (i.scored_by === "mlflow" && caps && !caps.onlineScoring) throw new InvalidStateError(`MLflow cannot score: ${caps.note}`);
      if (row.scored_by !== i.scored_by) {
        const now = ctx.now();
        // From the switch on: traces before it were the other side's to score.
        cachedStatement(db, "UPDATE remote_experiments SET scored_by = ?, updated_at = ? WHERE experiment_id = ?").run(i.scored_by, now, i.experiment_id);
        setCursor(db, i.experiment_id, now, now);
        recordAudit(ctx, {
          action: "remote.scored_by",
          entityType: "experiment",
          entityId: String(i.experiment_id),
          experimentId: i.experiment_id,
          before: { scored_by: row.scored_by },
          after: { scored_by: i.scored_by },
        });
      }
      return { experiment_id: String(i.experiment_id), scored_by: i.scored_by };
    })
    .immediate();
}
