// Config as code for alerts: the rules scorers.config.ts declares against the server's, as a
// pure plan (new / changed / unchanged) that `npx vigil scorers apply` prints and applies.
// Rules the file does not name (defaults, ones made in the dashboard) are listed, never touched.
import type { AlertRuleJson } from "./rule-store";
import { formatDuration, type ValidRule } from "./rule-params";

export interface AlertPlanItem {
  name: string;
  change: "new" | "changed" | "unchanged";
  /** What differs, in words, for a changed rule. */
  diffs: string[];
  rule: ValidRule;
}

const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

export function planAlerts(desired: readonly ValidRule[], current: readonly AlertRuleJson[]): { items: AlertPlanItem[]; unmanaged: string[] } {
  const byName = new Map(current.map((r) => [r.name, r]));
  const items = desired.map((d): AlertPlanItem => {
    const c = byName.get(d.name);
    if (!c) return { name: d.name, change: "new", diffs: [], rule: d };
    const diffs: string[] = [];
    if (c.kind !== d.kind) diffs.push(`kind ${c.kind} -> ${d.kind}`);
    if (c.scorer !== d.scorerName) diffs.push(`scorer ${c.scorer ?? "every scorer"} -> ${d.scorerName ?? "every scorer"}`);
    if (!same(c.params, d.params)) diffs.push(`params ${JSON.stringify(sorted(c.params))} -> ${JSON.stringify(sorted(d.params))}`);
    if (c.for_ms !== d.forMs) diffs.push(`for ${formatDuration(c.for_ms)} -> ${formatDuration(d.forMs)}`);
    if (c.severity !== d.severity) diffs.push(`severity ${c.severity} -> ${d.severity}`);
    if (c.enabled !== d.enabled) diffs.push(d.enabled ? "turned on" : "turned off");
    return { name: d.name, change: diffs.length ? "changed" : "unchanged", diffs, rule: d };
  });
  const declared = new Set(desired.map((d) => d.name));
  return {
    items,
    unmanaged: current
      .filter((r) => !declared.has(r.name))
      .map((r) => r.name)
      .sort(),
  };
}

export function formatAlertPlan(plan: ReturnType<typeof planAlerts>): string[] {
  const lines = plan.items.map((i) => {
    const what = `${i.rule.kind}${i.rule.scorerName ? ` on ${i.rule.scorerName}` : ""}, ${i.rule.severity}, for ${formatDuration(i.rule.forMs)}`;
    return `  alert ${i.name}: ${i.change === "new" ? `new (${what})` : i.change === "changed" ? `changed: ${i.diffs.join("; ")}` : "unchanged"}`;
  });
  if (plan.unmanaged.length) lines.push(`  alert rules not in the file (left as they are): ${plan.unmanaged.join(", ")}`);
  return lines;
}

/** The REST body that puts a declared rule (PUT /api/v1/alerts/rules). */
export const alertRuleBody = (experimentId: string, r: ValidRule) => ({
  experiment_id: experimentId,
  source: "config",
  name: r.name,
  kind: r.kind,
  scorer: r.scorerName,
  params: r.params,
  for: r.forMs,
  severity: r.severity,
  enabled: r.enabled,
});
