// The message an incident sends, fixed when it is enqueued; and where its link leads: the scorer
// page at the window that fired (the chart marks it), or the alerts page.
import type { alertEvents } from "@/db/schema";
import type { Config } from "@/lib/core";
import { publicUrl } from "./deliver-outbox";
import type { AlertMessage } from "./payloads";
import { DAY_MS } from "./rule-params";

type EventRow = typeof alertEvents.$inferSelect;

/** The dashboard path of an incident. The range is the smallest that shows its window. */
export function alertPath(e: Pick<EventRow, "alertId" | "experimentId" | "scorerName" | "windowStart">, now: number): string {
  if (!e.scorerName) return `/alerts?alert=${encodeURIComponent(e.alertId)}`;
  const age = now - (e.windowStart ?? now);
  const range = age < DAY_MS ? "24h" : age < 7 * DAY_MS ? "7d" : age < 30 * DAY_MS ? "30d" : "90d";
  return `/experiments/${e.experimentId}/scorers/${encodeURIComponent(e.scorerName)}?range=${range}&alert=${encodeURIComponent(e.alertId)}`;
}

export function alertMessage(config: Config, e: EventRow, ruleName: string, event: "trigger" | "resolve", now: number): AlertMessage {
  return {
    id: `${e.alertId}.${event}`,
    type: event === "trigger" ? "alert.firing" : "alert.resolved",
    created_at: new Date(now).toISOString(),
    alert: {
      alert_id: e.alertId,
      rule_id: e.ruleId,
      rule_name: ruleName,
      kind: e.kind,
      severity: e.severity,
      experiment_id: String(e.experimentId),
      scorer: e.scorerName,
      summary: e.summary,
      value: JSON.parse(e.value) as Record<string, unknown>,
      window_start: e.windowStart,
      window_end: e.windowEnd,
      fired_at: e.firedAt,
      resolved_at: e.resolvedAt,
      url: `${publicUrl(config)}${alertPath(e, e.firedAt)}`,
    },
  };
}
