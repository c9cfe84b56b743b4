import { eq } from "drizzle-orm";
import { z } from "zod";
import { scorerShadows } from "@/db/schema";
import { scorers } from "@/db/schema/scorers";
import { InvalidParameterError, InvalidStateError, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { sameDefinition } from "./apply-plan";
import { ROLE_FOR_ACTION } from "./lifecycle";
import { checkSerialized } from "./register-scorer";
import { activeShadowRow, findShadowRow, shadowValue, type ShadowVersion } from "./shadow-store";
import { experimentIdField, nameField, readScorer, requireScorerRow, requireWriter } from "./store";

export const RegisterShadowInput = z.object({ experiment_id: experimentIdField, name: nameField, serialized_scorer: z.string() });
export type RegisterShadowInput = z.input<typeof RegisterShadowInput>;

function sessionLevel(serialized: string): boolean {
  try {
    return (JSON.parse(serialized) as { is_session_level_scorer?: unknown }).is_session_level_scorer === true;
  } catch {
    return false;
  }
}

/**
 * Registers a new version of a started scorer as a shadow: it takes the next version number but
 * stays out of scorer_versions (MLflow's view keeps the live version), scores exactly the traces
 * (or sessions, for a session-level scorer) the live version is sampled for, and its scores stay out
 * of trends and alerts until promoted.
 */
export function registerShadow({ ctx, input }: VerbArgs<RegisterShadowInput>): ShadowVersion {
  const i = RegisterShadowInput.parse(input);
  checkSerialized(i.serialized_scorer);
  requireWriter(ctx, ROLE_FOR_ACTION.register, i.experiment_id);
  const now = ctx.now();
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
    const live = readScorer(ctx.db, row);
    if (live.status !== "STARTED" && live.status !== "PAUSED") {
      throw new InvalidStateError(`Scorer '${i.name}' is stopped; a shadow scores the live version's sampled traces, so start the scorer first.`);
    }
    const running = activeShadowRow(ctx.db, row.scorerId);
    if (running) {
      throw new InvalidStateError(`Scorer '${i.name}' already has shadow version ${running.version}; promote or discard it first.`);
    }
    // A shadow rides on its live version's sampling, which is per trace or per session: both must be of one level.
    const liveSession = sessionLevel(live.serializedScorer);
    if (liveSession !== sessionLevel(i.serialized_scorer)) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'serialized_scorer': live version ${live.version} is a ${liveSession ? "session" : "trace"}-level scorer, so its shadow must be one too (is_session_level_scorer: ${liveSession}).`,
      );
    }
    if (sameDefinition(live.serializedScorer, i.serialized_scorer)) {
      throw new InvalidParameterError(`Invalid value for parameter 'serialized_scorer': it is the definition of live version ${live.version}.`);
    }
    const version = row.lastVersion + 1;
    ctx.db
      .insert(scorerShadows)
      .values({
        scorerId: row.scorerId,
        version,
        experimentId: i.experiment_id,
        serializedScorer: i.serialized_scorer,
        baseVersion: live.version!,
        createdAt: now,
        createdBy: ctx.actor.id,
      })
      .run();
    ctx.db.update(scorers).set({ lastVersion: version }).where(eq(scorers.scorerId, row.scorerId)).run();
    const value = shadowValue(row, findShadowRow(ctx.db, row.scorerId, version)!);
    recordAudit(ctx, {
      action: "scorer.shadow_register",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: { name: row.name, live_version: live.version },
      after: { name: row.name, shadow_version: version, kind: value.kind, runnable: value.runnable, serialized_scorer: i.serialized_scorer },
    });
    return value;
  });
}
