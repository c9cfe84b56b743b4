import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { alertRules, alertSeries } from "@/db/schema";
import { cachedStatement } from "@/db/cached-statement";
import { recordAudit } from "@/lib/audit";
import { InvalidParameterError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { alertRuleSources } from "@/db/schema/alerts";
import { validateRule, type ValidRule } from "./rule-params";
import { findRuleByName, insertRule, ruleJson, ruleSpecOf, type AlertRuleJson } from "./rule-store";

export const PutAlertRuleInput = z
  .object({ experiment_id: experimentIdString, source: z.enum(alertRuleSources).exclude(["default"]).default("api") })
  .passthrough();
export type PutAlertRuleInput = z.input<typeof PutAlertRuleInput> & Record<string, unknown>;

export function requireScorerOf(ctx: Ctx, experimentId: number, rule: ValidRule): void {
  if (rule.scorerName === null) return;
  // A read by SQL: the scorer tables' typed handles belong to lib/monitoring (lint:deps).
  const found = cachedStatement(ctx.db.$client, "SELECT scorer_id AS id FROM scorers WHERE experiment_id = ? AND name = ?").get(
    experimentId,
    rule.scorerName,
  ) as { id: string } | undefined;
  if (!found) throw new InvalidParameterError(`Invalid alert rule: 'scorer' names no scorer of experiment ${experimentId} ('${rule.scorerName}').`);
}

const same = (a: ValidRule, b: ValidRule) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Creates the rule, or replaces the one of the same name (config as code and the REST PUT), so
 * applying the same declaration twice changes nothing. A changed rule starts its series afresh.
 */
export function putAlertRule({ ctx, input }: VerbArgs<PutAlertRuleInput>): { rule: AlertRuleJson; change: "created" | "updated" | "unchanged" } {
  const {
    experiment_id: experimentId,
    source,
    ...spec
  } = PutAlertRuleInput.parse(input) as { experiment_id: number; source: "api" | "config" } & Record<string, unknown>;
  const rule = validateRule(spec);
  requireRole(ctx.actor, "admin", experimentId);
  requireActiveExperiment(ctx.db, experimentId);
  requireScorerOf(ctx, experimentId, rule);
  return ctx.db.transaction(() => {
    const now = ctx.now();
    const old = findRuleByName(ctx.db, experimentId, rule.name);
    if (old && same(ruleSpecOf(old), rule)) return { rule: ruleJson(ctx.db, old), change: "unchanged" as const };
    let row;
    if (!old) row = insertRule(ctx.db, experimentId, rule, source, now);
    else {
      const patch = {
        kind: rule.kind,
        scorerName: rule.scorerName,
        params: JSON.stringify(rule.params),
        forMs: rule.forMs,
        severity: rule.severity,
        enabled: rule.enabled,
        source,
        updatedAt: now,
      };
      ctx.db.update(alertRules).set(patch).where(eq(alertRules.ruleId, old.ruleId)).run();
      if (old.kind !== rule.kind || old.scorerName !== rule.scorerName) ctx.db.delete(alertSeries).where(eq(alertSeries.ruleId, old.ruleId)).run();
      row = { ...old, ...patch };
    }
    recordAudit(ctx, {
      action: old ? "alert_rule.update" : "alert_rule.create",
      entityType: "alert_rule",
      entityId: row.ruleId,
      experimentId,
      before: old ? ruleSpecOf(old) : undefined,
      after: rule,
    });
    return { rule: ruleJson(ctx.db, row), change: old ? ("updated" as const) : ("created" as const) };
  });
}
