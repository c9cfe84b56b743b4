import { and, eq } from "drizzle-orm";
import { scorerShadows } from "@/db/schema";
import type { VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { ROLE_FOR_ACTION } from "./lifecycle";
import { requireRunningShadow } from "./promote-shadow";
import { findShadowRow, shadowValue, ShadowRef, type ShadowVersion } from "./shadow-store";
import { requireScorerRow, requireWriter } from "./store";

/**
 * Stops a shadow for good (an operator may: it only ends a cost). Its scores are kept for the
 * comparison's history but never enter trends; queued work for it is dropped by the engine.
 */
export function discardShadow({ ctx, input }: VerbArgs<ShadowRef>): ShadowVersion {
  const i = ShadowRef.parse(input);
  requireWriter(ctx, ROLE_FOR_ACTION.stop, i.experiment_id);
  const now = ctx.now();
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const shadow = requireRunningShadow(ctx.db, row, i.version);
    ctx.db
      .update(scorerShadows)
      .set({ state: "discarded", decidedAt: now, decidedBy: ctx.actor.id })
      .where(and(eq(scorerShadows.scorerId, row.scorerId), eq(scorerShadows.version, shadow.version)))
      .run();
    recordAudit(ctx, {
      action: "scorer.shadow_discard",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, shadow_version: shadow.version, state: "shadow" },
      after: { name: row.name, shadow_version: shadow.version, state: "discarded" },
      reason: i.reason ?? null,
    });
    return shadowValue(row, findShadowRow(ctx.db, row.scorerId, shadow.version)!);
  });
}
