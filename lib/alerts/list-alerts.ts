// Incidents for the alerts page and the REST list: open ones first (unacknowledged before
// acknowledged, newest first), then history; and the header badge's count.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { alertEvents } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { InvalidStateError, NotFoundError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { alertPath } from "./alert-message";
import type { AlertMessage } from "./payloads";
import { activeSilences, isSilenced } from "./silences";

export const ListAlertsInput = z.object({
  experiment_id: experimentIdString.optional(),
  status: z.enum(["open", "resolved", "all"]).default("all"),
  max_results: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListAlertsInput = z.input<typeof ListAlertsInput>;

/** The same fields a notification carries (payloads.ts), plus what the page needs. */
export interface AlertJson extends Omit<AlertMessage["alert"], "rule_id" | "url"> {
  rule_id: string;
  experiment_name: string;
  state: "FIRING" | "RESOLVED";
  acked_at: number | null;
  acked_by: string | null;
  silenced: boolean;
  path: string;
}

interface Row {
  alert_id: string;
  rule_id: string;
  rule_name: string | null;
  experiment_id: number;
  experiment_name: string;
  scorer_name: string | null;
  kind: string;
  severity: AlertJson["severity"];
  summary: string;
  value: string;
  window_start: number | null;
  window_end: number | null;
  fired_at: number;
  resolved_at: number | null;
  acked_at: number | null;
  acked_by: string | null;
}

function scopeOf(ctx: Ctx, experimentId: number | undefined): number | undefined {
  requireRole(ctx.actor, "viewer", experimentId);
  return experimentId ?? ctx.actor.experimentId ?? undefined;
}

export function listAlerts({ ctx, input }: VerbArgs<ListAlertsInput>): { alerts: AlertJson[] } {
  const i = ListAlertsInput.parse(input);
  const exp = scopeOf(ctx, i.experiment_id);
  const now = ctx.now();
  const where = [
    exp === undefined ? "1" : "e.experiment_id = @exp",
    i.status === "open" ? "e.resolved_at IS NULL" : i.status === "resolved" ? "e.resolved_at IS NOT NULL" : "1",
  ].join(" AND ");
  const rows = ctx.db.$client
    .prepare(
      `SELECT e.*, r.name AS rule_name, x.name AS experiment_name FROM alert_events e LEFT JOIN alert_rules r ON r.rule_id = e.rule_id
       JOIN experiments x ON x.experiment_id = e.experiment_id
       WHERE ${where} ORDER BY e.resolved_at IS NOT NULL, e.acked_at IS NOT NULL, e.fired_at DESC LIMIT @limit`,
    )
    .all({ exp: exp ?? null, limit: i.max_results }) as Row[];
  const silences = activeSilences(ctx.db, now);
  return {
    alerts: rows.map((r) => ({
      alert_id: r.alert_id,
      rule_id: r.rule_id,
      rule_name: r.rule_name ?? "deleted rule",
      experiment_id: String(r.experiment_id),
      experiment_name: r.experiment_name,
      scorer: r.scorer_name,
      kind: r.kind,
      severity: r.severity,
      state: r.resolved_at === null ? "FIRING" : "RESOLVED",
      summary: r.summary,
      value: JSON.parse(r.value) as Record<string, unknown>,
      window_start: r.window_start,
      window_end: r.window_end,
      fired_at: r.fired_at,
      resolved_at: r.resolved_at,
      acked_at: r.acked_at,
      acked_by: r.acked_by,
      silenced: r.resolved_at === null && isSilenced(silences, { ruleId: r.rule_id, experimentId: r.experiment_id }, r.scorer_name),
      path: alertPath({ alertId: r.alert_id, experimentId: r.experiment_id, scorerName: r.scorer_name, windowStart: r.window_start }, now),
    })),
  };
}

/** Firing, not acknowledged, not silenced: what the header badge counts. */
export function countAttentionAlerts({ ctx, input }: VerbArgs<{ experiment_id?: string | number }>): number {
  return listAlerts({ ctx, input: { ...input, status: "open" } }).alerts.filter((a) => a.acked_at === null && !a.silenced).length;
}

export function getAlert({ ctx, input }: VerbArgs<{ alert_id: string }>): AlertJson {
  const e = ctx.db
    .select()
    .from(alertEvents)
    .where(eq(alertEvents.alertId, String(input.alert_id)))
    .get();
  if (!e) throw new NotFoundError(`Alert '${input.alert_id}' not found.`);
  const found = listAlerts({ ctx, input: { experiment_id: e.experimentId, max_results: 1000 } }).alerts.find((a) => a.alert_id === e.alertId);
  if (!found) throw new NotFoundError(`Alert '${input.alert_id}' not found.`);
  return found;
}

/** An operator takes the alert: it leaves the badge and stays on the page until it resolves. */
export function ackAlert({ ctx, input }: VerbArgs<{ alert_id: string; note?: string }>): AlertJson {
  const e = ctx.db
    .select()
    .from(alertEvents)
    .where(eq(alertEvents.alertId, String(input.alert_id)))
    .get();
  if (!e) throw new NotFoundError(`Alert '${input.alert_id}' not found.`);
  requireRole(ctx.actor, "operator", e.experimentId);
  if (e.ackedAt !== null) throw new InvalidStateError(`Alert '${e.alertId}' was already acknowledged by ${e.ackedBy}.`);
  ctx.db.transaction(() => {
    ctx.db.update(alertEvents).set({ ackedAt: ctx.now(), ackedBy: ctx.actor.id }).where(eq(alertEvents.alertId, e.alertId)).run();
    recordAudit(ctx, { action: "alert.ack", entityType: "alert", entityId: e.alertId, experimentId: e.experimentId, reason: input.note ?? null });
  });
  return getAlert({ ctx, input: { alert_id: e.alertId } });
}

/** The window an alert fired on, for the scorer page's chart; null when the alert is not this scorer's. */
export function alertMarkFor({
  ctx,
  input,
}: VerbArgs<{ alert_id?: string; experiment_id: string; scorer: string }>): { from: number; to: number; label: string } | null {
  if (!input.alert_id) return null;
  const e = ctx.db.select().from(alertEvents).where(eq(alertEvents.alertId, input.alert_id)).get();
  if (!e || String(e.experimentId) !== String(input.experiment_id) || e.scorerName !== input.scorer || e.windowStart === null) return null;
  requireRole(ctx.actor, "viewer", e.experimentId);
  return { from: e.windowStart, to: Math.max(e.windowEnd ?? e.firedAt, e.windowStart + 1), label: e.resolvedAt === null ? "alert firing" : "alert window" };
}
