import { eq } from "drizzle-orm";
import { z } from "zod";
import { alertRules, alertSeries } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments";
import { formatDuration, validateRule } from "./rule-params";
import { requireScorerOf } from "./put-alert-rule";
import { requireRule, ruleJson, ruleSpecOf, type AlertRuleJson } from "./rule-store";

export const UpdateAlertRuleInput = z.object({ rule_id: z.string().min(1) }).passthrough();
export type UpdateAlertRuleInput = { rule_id: string } & Record<string, unknown>;

/** Changes some fields of a rule (params are merged); the whole result is validated again. */
export function updateAlertRule({ ctx, input }: VerbArgs<UpdateAlertRuleInput>): AlertRuleJson {
  const { rule_id, ...patch } = UpdateAlertRuleInput.parse(input) as UpdateAlertRuleInput;
  const old = requireRule(ctx.db, rule_id);
  requireRole(ctx.actor, "admin", old.experimentId);
  requireActiveExperiment(ctx.db, old.experimentId);
  if ("name" in patch && patch.name !== old.name)
    throw new InvalidParameterError("Invalid alert rule: 'name' cannot change (delete and create the rule instead).");
  const prev = ruleSpecOf(old);
  const params = patch.params === undefined ? prev.params : { ...prev.params, ...(patch.params as object) };
  const rule = validateRule({
    name: old.name,
    kind: patch.kind ?? prev.kind,
    scorer: "scorer" in patch ? patch.scorer : prev.scorerName,
    params,
    for: patch.for ?? formatDuration(prev.forMs),
    severity: patch.severity ?? prev.severity,
    enabled: patch.enabled ?? prev.enabled,
  });
  requireScorerOf(ctx, old.experimentId, rule);
  return ctx.db.transaction(() => {
    const set = {
      kind: rule.kind,
      scorerName: rule.scorerName,
      params: JSON.stringify(rule.params),
      forMs: rule.forMs,
      severity: rule.severity,
      enabled: rule.enabled,
      updatedAt: ctx.now(),
    };
    ctx.db.update(alertRules).set(set).where(eq(alertRules.ruleId, old.ruleId)).run();
    if (old.kind !== rule.kind || old.scorerName !== rule.scorerName) ctx.db.delete(alertSeries).where(eq(alertSeries.ruleId, old.ruleId)).run();
    recordAudit(ctx, {
      action: "alert_rule.update",
      entityType: "alert_rule",
      entityId: old.ruleId,
      experimentId: old.experimentId,
      before: prev,
      after: rule,
    });
    return ruleJson(ctx.db, { ...old, ...set });
  });
}

export function deleteAlertRule({ ctx, input }: VerbArgs<{ rule_id: string }>): { rule_id: string } {
  const old = requireRule(ctx.db, z.string().min(1).parse(input.rule_id));
  requireRole(ctx.actor, "admin", old.experimentId);
  return ctx.db.transaction(() => {
    ctx.db.delete(alertSeries).where(eq(alertSeries.ruleId, old.ruleId)).run();
    ctx.db.delete(alertRules).where(eq(alertRules.ruleId, old.ruleId)).run();
    recordAudit(ctx, { action: "alert_rule.delete", entityType: "alert_rule", entityId: old.ruleId, experimentId: old.experimentId, before: ruleSpecOf(old) });
    return { rule_id: old.ruleId };
  });
}
