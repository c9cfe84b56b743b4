import { asc, eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";

export interface ExperimentOption {
  experimentId: string;
  name: string;
}

/** Active experiments by name, for the header's switcher (a token scoped to one sees only it). */
export function listExperimentOptions({ ctx }: VerbArgs<Record<string, never>>): ExperimentOption[] {
  // Scoped to its own experiment below, so a scoped token's check names that experiment.
  requireRole(ctx.actor, "viewer", ctx.actor.experimentId ?? undefined);
  const rows = ctx.db
    .select({ id: experiments.experimentId, name: experiments.name })
    .from(experiments)
    .where(eq(experiments.lifecycleStage, "active"))
    .orderBy(asc(experiments.name))
    .all();
  const scoped = ctx.actor.experimentId;
  return rows.filter((r) => scoped == null || r.id === scoped).map((r) => ({ experimentId: String(r.id), name: r.name }));
}
