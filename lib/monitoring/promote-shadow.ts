import { and, eq } from "drizzle-orm";
import { scorerShadows } from "@/db/schema";
import { scorerVersions } from "@/db/schema/scorers";
import { InvalidStateError, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { ROLE_FOR_ACTION } from "./lifecycle";
import type { Scorer } from "./scorer-value";
import { findShadowRow, shadowNotFound, ShadowRef } from "./shadow-store";
import { readScorer, requireScorerRow, requireWriter } from "./store";

/** Refuses a version that is not a running shadow, with what it is instead. */
export function requireRunningShadow(db: Parameters<typeof findShadowRow>[0], row: { scorerId: string; name: string; experimentId: number }, version: number) {
  const shadow = findShadowRow(db, row.scorerId, version);
  if (!shadow) {
    const registered = db
      .select()
      .from(scorerVersions)
      .where(and(eq(scorerVersions.scorerId, row.scorerId), eq(scorerVersions.version, version)))
      .get();
    if (registered) throw new InvalidStateError(`Version ${version} of scorer '${row.name}' is not a shadow; it is a registered version.`);
    throw shadowNotFound(row.name, row.experimentId, version);
  }
  if (shadow.state !== "shadow") throw new InvalidStateError(`Version ${version} of scorer '${row.name}' is not a shadow any more; it was ${shadow.state}.`);
  return shadow;
}

/**
 * The shadow becomes the live version: it is added to scorer_versions (so MLflow's routes now
 * answer it as the latest) and the old version stops scoring, since the engine scores the latest.
 * Scores it made as a shadow stay out of trends: the line breaks at the promotion.
 */
export function promoteShadow({ ctx, input }: VerbArgs<ShadowRef>): Scorer {
  const i = ShadowRef.parse(input);
  requireWriter(ctx, ROLE_FOR_ACTION.update, i.experiment_id);
  const now = ctx.now();
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const shadow = requireRunningShadow(ctx.db, row, i.version);
    const live = readScorer(ctx.db, row);
    if (live.version! > shadow.version) {
      throw new InvalidStateError(
        `Scorer '${i.name}' got live version ${live.version} after shadow ${shadow.version} was registered; register the shadow again.`,
      );
    }
    ctx.db
      .insert(scorerVersions)
      .values({ scorerId: row.scorerId, version: shadow.version, serializedScorer: shadow.serializedScorer, creationTime: now })
      .run();
    ctx.db
      .update(scorerShadows)
      .set({ state: "promoted", decidedAt: now, decidedBy: ctx.actor.id })
      .where(and(eq(scorerShadows.scorerId, row.scorerId), eq(scorerShadows.version, shadow.version)))
      .run();
    const after = readScorer(ctx.db, row);
    recordAudit(ctx, {
      action: "scorer.shadow_promote",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, live_version: live.version, shadow_version: shadow.version },
      after: { name: row.name, live_version: after.version, stopped_version: live.version },
      reason: i.reason ?? null,
    });
    return after;
  });
}
