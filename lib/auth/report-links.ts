// Shared report links: a viewer token limited to one experiment, made and revoked by an admin,
// whose secret travels in the link (/share/<secret>). Opened signed out, it shows that
// experiment's report and nothing else; revoking the token closes the link at once.
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/db/schema";
import type { Db } from "@/db/client";
import { NotFoundError, requireRole, UnauthenticatedError, type Config, type Ctx, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { actorFromToken, createApiToken, type ApiTokenView } from "./tokens";

export const SHARE_PATH = "/share";
export const sharePath = (secret: string) => `${SHARE_PATH}/${encodeURIComponent(secret)}`;

const CreateReportLinkInput = z.object({ experiment_id: experimentIdString, name: z.string().trim().max(80).optional() });

/** The secret (and so the link) is returned once; only the token's hash is kept. */
export function createReportLink({ ctx, input }: VerbArgs<z.input<typeof CreateReportLinkInput>>): ApiTokenView & { path: string } {
  const i = CreateReportLinkInput.parse(input);
  requireRole(ctx.actor, "admin", i.experiment_id);
  requireActiveExperiment(ctx.db, i.experiment_id);
  const made = createApiToken({ ctx, input: { name: `Report link: ${i.name || "shared"}`, role: "viewer", experiment_id: i.experiment_id } });
  const { token, ...view } = made;
  return { ...view, path: sharePath(token) };
}

/** Every live viewer token limited to this experiment: each one opens its report. */
export function listReportLinks({ ctx, input }: VerbArgs<{ experiment_id: string | number }>): ApiTokenView[] {
  const experimentId = experimentIdString.parse(input.experiment_id);
  requireRole(ctx.actor, "admin", experimentId);
  return ctx.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.experimentId, experimentId), eq(apiTokens.role, "viewer"), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt))
    .all()
    .map((t) => ({ token_id: t.tokenId, name: t.name, role: "viewer", experiment_id: String(t.experimentId), created_at: t.createdAt, revoked_at: null }));
}

/**
 * The ctx a shared link acts with: its token's viewer actor, whoever else is signed in (or
 * anonymous) in this browser. Anything but a live, experiment-limited viewer token is a 404, so
 * a link says nothing about tokens that do not exist or were revoked.
 */
export function shareCtx(db: Db, config: Config, secret: string): Ctx & { experimentId: number } {
  let actor;
  try {
    actor = actorFromToken(db, secret);
  } catch (e) {
    if (e instanceof UnauthenticatedError) throw new NotFoundError("This report link does not exist or was revoked.");
    throw e;
  }
  if (actor.role !== "viewer" || actor.experimentId === null || actor.experimentId === undefined)
    throw new NotFoundError("This report link does not exist or was revoked.");
  return { db, config, actor, now: Date.now, fetch, experimentId: actor.experimentId };
}
