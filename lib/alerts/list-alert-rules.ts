import { and, asc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { alertRules } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { getExperimentRow } from "@/lib/experiments";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { ruleJson, type AlertRuleJson } from "./rule-store";

export const ListAlertRulesInput = z.object({
  experiment_id: experimentIdString,
  /** Only the rules that watch this scorer: its own and those over every scorer. */
  scorer: z.string().min(1).optional(),
});
export type ListAlertRulesInput = z.input<typeof ListAlertRulesInput>;

export function listAlertRules({ ctx, input }: VerbArgs<ListAlertRulesInput>): { rules: AlertRuleJson[] } {
  const i = ListAlertRulesInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experiment_id);
  getExperimentRow(ctx.db, i.experiment_id);
  const where =
    i.scorer === undefined
      ? eq(alertRules.experimentId, i.experiment_id)
      : and(eq(alertRules.experimentId, i.experiment_id), or(eq(alertRules.scorerName, i.scorer), isNull(alertRules.scorerName)));
  const rows = ctx.db.select().from(alertRules).where(where).orderBy(asc(alertRules.name)).all();
  return { rules: rows.map((r) => ruleJson(ctx.db, r)) };
}
