// Rule rows ⇄ what the API shows, and the default rules a new scorer gets.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertRules, alertSeries } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import { HOUR_MS, MINUTE_MS, formatDuration, validateRule, type ValidRule } from "./rule-params";

export type RuleRow = typeof alertRules.$inferSelect;

export interface AlertRuleJson {
  rule_id: string;
  experiment_id: string;
  name: string;
  kind: RuleRow["kind"];
  /** null: every scorer (or the whole experiment for lag and no_traffic). */
  scorer: string | null;
  params: Record<string, unknown>;
  for: string;
  for_ms: number;
  severity: RuleRow["severity"];
  enabled: boolean;
  source: RuleRow["source"];
  created_at: number;
  updated_at: number;
  series: { series_key: string; state: string; since: number; alert_id: string | null; last_eval_at: number; summary: string | null }[];
}

export function ruleJson(db: Db, r: RuleRow): AlertRuleJson {
  const series = db.select().from(alertSeries).where(eq(alertSeries.ruleId, r.ruleId)).all();
  return {
    rule_id: r.ruleId,
    experiment_id: String(r.experimentId),
    name: r.name,
    kind: r.kind,
    scorer: r.scorerName,
    params: JSON.parse(r.params) as Record<string, unknown>,
    for: formatDuration(r.forMs),
    for_ms: r.forMs,
    severity: r.severity,
    enabled: r.enabled,
    source: r.source,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    series: series.map((s) => ({
      series_key: s.seriesKey,
      state: s.state,
      since: s.since,
      alert_id: s.alertId,
      last_eval_at: s.lastEvalAt,
      summary: s.lastValue ? ((JSON.parse(s.lastValue) as { summary?: string }).summary ?? null) : null,
    })),
  };
}

/** The declaration a rule row came from: what config as code compares. */
export function ruleSpecOf(r: RuleRow): ValidRule {
  return {
    name: r.name,
    kind: r.kind,
    scorerName: r.scorerName,
    params: JSON.parse(r.params) as ValidRule["params"],
    forMs: r.forMs,
    severity: r.severity,
    enabled: r.enabled,
  };
}

export function requireRule(db: Db, ruleId: string): RuleRow {
  const r = db.select().from(alertRules).where(eq(alertRules.ruleId, ruleId)).get();
  if (!r) throw new NotFoundError(`Alert rule '${ruleId}' not found.`);
  return r;
}

export const findRuleByName = (db: Db, experimentId: number, name: string) =>
  db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.experimentId, experimentId), eq(alertRules.name, name)))
    .get();

export function insertRule(db: Db, experimentId: number, rule: ValidRule, source: RuleRow["source"], now: number): RuleRow {
  const row: RuleRow = {
    ruleId: randomUUID(),
    experimentId,
    name: rule.name,
    kind: rule.kind,
    scorerName: rule.scorerName,
    params: JSON.stringify(rule.params),
    forMs: rule.forMs,
    severity: rule.severity,
    enabled: rule.enabled,
    source,
    createdAt: now,
    updatedAt: now,
  };
  db.insert(alertRules).values(row).run();
  return row;
}

/** Defaults for one scorer, and the experiment-wide ones (added once, never duplicated). */
export function defaultRuleSpecs(scorerName: string): { perScorer: ValidRule[]; experiment: ValidRule[] } {
  const v = (spec: Parameters<typeof validateRule>[0]) => validateRule(spec);
  return {
    perScorer: [
      v({ name: `${scorerName} quality drop`, kind: "quality_drop", scorer: scorerName, for: 10 * MINUTE_MS, severity: "warning" }),
      v({ name: `${scorerName} error rate`, kind: "error_rate", scorer: scorerName, for: 10 * MINUTE_MS, severity: "warning" }),
    ],
    experiment: [
      v({ name: "Scorer auto-paused", kind: "scorer_paused", severity: "critical" }),
      v({ name: "Judge budget 80%", kind: "budget", params: { percent: 80 }, severity: "warning" }),
      v({ name: "Judge budget 100%", kind: "budget", params: { percent: 100 }, severity: "critical" }),
      v({ name: "Scoring lag", kind: "lag", for: 5 * MINUTE_MS, severity: "warning" }),
      v({ name: "No traffic", kind: "no_traffic", params: { period: HOUR_MS }, severity: "warning" }),
    ],
  };
}

/**
 * Called in the transaction that registers a scorer's first version: sensible rules to start
 * with, editable afterwards. Names already taken (an edited or declared rule) are left alone.
 */
export function createDefaultAlertRules(db: Db, experimentId: number, scorerName: string, now: number): number {
  const { perScorer, experiment } = defaultRuleSpecs(scorerName);
  let added = 0;
  for (const rule of [...perScorer, ...experiment]) {
    if (findRuleByName(db, experimentId, rule.name)) continue;
    insertRule(db, experimentId, rule, "default", now);
    added++;
  }
  return added;
}
