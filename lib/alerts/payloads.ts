// What goes on the wire, built from the message fixed in the outbox row, so every attempt sends
// the same identity: generic webhooks signed like Stripe's (`t=<unix>,v1=<hex HMAC-SHA256 of
// "t.body">`), Slack incoming-webhook messages, PagerDuty Events API v2 with a stable dedup_key.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { alertChannelKinds } from "@/db/schema/alerts";

export interface AlertMessage {
  /** The event's identity: the same on every retry. */
  id: string;
  type: "alert.firing" | "alert.resolved" | "alert.test";
  created_at: string;
  alert: {
    alert_id: string;
    rule_id: string | null;
    rule_name: string;
    kind: string;
    severity: "critical" | "warning" | "info";
    experiment_id: string;
    scorer: string | null;
    summary: string;
    value: Record<string, unknown>;
    window_start: number | null;
    window_end: number | null;
    fired_at: number;
    resolved_at: number | null;
    url: string;
  };
}

export interface WireRequest {
  body: string;
  headers: Record<string, string>;
}

export const SIGNATURE_HEADER = "vigil-signature";

export function signPayload(secret: string, timestampSec: number, body: string): string {
  return `t=${timestampSec},v1=${createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex")}`;
}

/** For receivers (and tests): checks the signature and that the timestamp is recent. */
export function verifySignature(secret: string, header: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowSec - t) > toleranceSec || !parts.v1) return false;
  const want = Buffer.from(signPayload(secret, t, body).split("v1=")[1]!, "hex");
  const got = Buffer.from(parts.v1, "hex");
  return want.length === got.length && timingSafeEqual(want, got);
}

const EMOJI = { critical: ":rotating_light:", warning: ":warning:", info: ":information_source:" } as const;

function slackBody(m: AlertMessage): string {
  const a = m.alert;
  const state = m.type === "alert.resolved" ? "Resolved" : m.type === "alert.test" ? "Test" : "Firing";
  const title = `${m.type === "alert.resolved" ? ":white_check_mark:" : EMOJI[a.severity]} ${state}: ${a.rule_name}${a.scorer ? ` (${a.scorer})` : ""}`;
  return JSON.stringify({
    text: `${title}. ${a.summary}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${title}*\n${a.summary}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `experiment ${a.experiment_id} · ${a.severity} · <${a.url}|open in Vigil>` }] },
    ],
  });
}

function pagerDutyBody(m: AlertMessage, routingKey: string): string {
  const a = m.alert;
  if (m.type === "alert.resolved") return JSON.stringify({ routing_key: routingKey, event_action: "resolve", dedup_key: a.alert_id });
  return JSON.stringify({
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: a.alert_id,
    payload: {
      summary: `${a.rule_name}: ${a.summary}`.slice(0, 1024),
      source: `vigil/experiment/${a.experiment_id}${a.scorer ? `/scorer/${a.scorer}` : ""}`,
      severity: a.severity,
      timestamp: new Date(a.fired_at).toISOString(),
      component: a.scorer ?? undefined,
      group: `experiment-${a.experiment_id}`,
      class: a.kind,
      custom_details: a.value,
    },
    links: [{ href: a.url, text: "Open in Vigil" }],
    client: "Vigil",
    client_url: a.url,
  });
}

export function wireRequest(kind: (typeof alertChannelKinds)[number], m: AlertMessage, secret: string | null, deliveryId: string, nowMs: number): WireRequest {
  const json = { "content-type": "application/json", "user-agent": "Vigil-Alerts/1" };
  if (kind === "slack") return { body: slackBody(m), headers: json };
  if (kind === "pagerduty") return { body: pagerDutyBody(m, secret ?? ""), headers: json };
  const body = JSON.stringify(m);
  const headers: Record<string, string> = { ...json, "vigil-event-id": m.id, "vigil-delivery-id": deliveryId };
  if (secret) headers[SIGNATURE_HEADER] = signPayload(secret, Math.floor(nowMs / 1000), body);
  return { body, headers };
}
