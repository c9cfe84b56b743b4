import { inArray } from "drizzle-orm";
import { z } from "zod";
import { scorers } from "@/db/schema/scorers";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { repeatedString } from "@/lib/mlflow/proto-json";
import { toOnlineConfig, type OnlineConfigJson } from "./mlflow-json";
import { findConfig, readScorer } from "./store";

export const GetOnlineConfigsInput = z.object({ scorer_ids: repeatedString });
export type GetOnlineConfigsInput = z.input<typeof GetOnlineConfigsInput>;

/**
 * MLflow's GET scorers/online-configs: the configs of the given scorer ids that have one;
 * unknown ids and never-configured scorers are simply absent. The caller must be allowed to read
 * the experiment of every config returned.
 */
export function getOnlineConfigs({ ctx, input }: VerbArgs<GetOnlineConfigsInput>): OnlineConfigJson[] {
  const i = GetOnlineConfigsInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const ids = [...new Set(i.scorer_ids)];
  if (ids.length === 0) return [];
  const rows = ctx.db.select().from(scorers).where(inArray(scorers.scorerId, ids)).all();
  const out: OnlineConfigJson[] = [];
  for (const row of rows) {
    requireRole(ctx.actor, "viewer", row.experimentId);
    if (findConfig(ctx.db, row.scorerId)) out.push(toOnlineConfig(readScorer(ctx.db, row)));
  }
  // Answer in the order asked, as a client zipping ids with configs would expect.
  return out.sort((a, b) => ids.indexOf(a.scorer_id) - ids.indexOf(b.scorer_id));
}
