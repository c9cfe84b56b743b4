import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { onlineConfigs, scorerVersions, scorers } from "@/db/schema/scorers";
import type { VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { ROLE_FOR_ACTION } from "./lifecycle";
import { samplingSnapshot, unregisteredValue, type Scorer } from "./scorer-value";
import { experimentIdField, nameField, notFound, readScorer, readVersions, requireScorerRow, requireWriter, versionField } from "./store";

export const DeleteScorerInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  /** Left out: every version and the online config. */
  version: versionField.optional(),
});
export type DeleteScorerInput = z.input<typeof DeleteScorerInput>;

/**
 * MLflow's DeleteScorer (admin): one version, or all of them with the online config. Deleting the
 * last remaining version deletes the scorer. Answers the scorer as it stands afterwards: the new
 * latest version, or an UNREGISTERED value when nothing is left.
 */
export function deleteScorer({ ctx, input }: VerbArgs<DeleteScorerInput>): Scorer {
  const i = DeleteScorerInput.parse(input);
  requireWriter(ctx, ROLE_FOR_ACTION.delete, i.experiment_id);
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const versions = readVersions(ctx.db, row);
    const doomed = i.version === undefined ? versions : versions.filter((v) => v.version === i.version);
    if (doomed.length === 0) throw notFound(i.name, i.experiment_id, i.version);
    const latest = versions[versions.length - 1]!;
    const all = doomed.length === versions.length;
    if (all) {
      ctx.db.delete(scorerVersions).where(eq(scorerVersions.scorerId, row.scorerId)).run();
      ctx.db.delete(onlineConfigs).where(eq(onlineConfigs.scorerId, row.scorerId)).run();
      ctx.db.delete(scorers).where(eq(scorers.scorerId, row.scorerId)).run();
    } else {
      ctx.db
        .delete(scorerVersions)
        .where(and(eq(scorerVersions.scorerId, row.scorerId), eq(scorerVersions.version, i.version!)))
        .run();
    }
    const after = all ? unregisteredValue(i.experiment_id, row.name, latest.serializedScorer) : readScorer(ctx.db, row);
    recordAudit(ctx, {
      action: "scorer.delete",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, versions: versions.map((v) => v.version), ...samplingSnapshot(latest) },
      after: all
        ? { name: row.name, status: "UNREGISTERED" }
        : { name: row.name, versions: versions.filter((v) => v.version !== i.version).map((v) => v.version) },
    });
    return after;
  });
}
