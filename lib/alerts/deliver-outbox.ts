// Sends what the outbox holds. A row is leased, sent, then recorded; a crash between send and
// record leaves the lease to expire and the same row (same delivery id, same event id, same
// PagerDuty dedup_key) is sent again: at least once, never under a new identity.
import { eq } from "drizzle-orm";
import { alertChannels } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { newHex, requireRole, type Config, type Ctx, type VerbArgs } from "@/lib/core";
import { requireChannel } from "./channels";
import { claimDue, enqueueNotification, recordAttempt, type AttemptResult, type OutboxRow } from "./outbox";
import { wireRequest, type AlertMessage } from "./payloads";
import { decryptSecret } from "./secrets";

export const SEND_TIMEOUT_MS = 10_000;

export const publicUrl = (config: Config) => (config.VIGIL_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, "");

async function send(ctx: Ctx, row: OutboxRow): Promise<AttemptResult> {
  const t0 = Date.now();
  const channel = ctx.db.select().from(alertChannels).where(eq(alertChannels.channelId, row.channelId)).get();
  if (!channel || !channel.enabled) return { httpStatus: 410, ok: false, error: "channel deleted or disabled", durationMs: 0 };
  const message = JSON.parse(row.payload) as AlertMessage;
  const secret = channel.secretEnc ? decryptSecret(ctx.config, channel.secretEnc) : null;
  const req = wireRequest(channel.kind, message, secret, row.deliveryId, ctx.now());
  try {
    // No redirects: a receiver must not bounce Vigil onto an address it would refuse.
    const res = await ctx.fetch(decryptSecret(ctx.config, channel.urlEnc), {
      method: "POST",
      headers: req.headers,
      body: req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = (await res.text().catch(() => "")).slice(0, 300);
    const ok = res.status >= 200 && res.status < 300;
    return { httpStatus: res.status, ok, error: ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ""}`, durationMs: Date.now() - t0 };
  } catch (e) {
    return {
      httpStatus: null,
      ok: false,
      error: e instanceof Error ? (e.name === "TimeoutError" ? `no answer in ${SEND_TIMEOUT_MS} ms` : e.message) : String(e),
      durationMs: Date.now() - t0,
    };
  }
}

export interface DeliverResult {
  sent: number;
  retrying: number;
  dead: number;
}

/** One pass over due notifications, sent in parallel (at most `limit`). */
export async function deliverOutbox(ctx: Ctx, opts: { owner?: string; limit?: number; deliveryId?: string } = {}): Promise<DeliverResult> {
  const owner = opts.owner ?? `alerts-${process.pid}-${newHex(4)}`;
  const rows = ctx.db.transaction(() => claimDue(ctx.db, owner, ctx.now(), ctx.config.VIGIL_LEASE_MS, opts.limit ?? 20, opts.deliveryId));
  const out: DeliverResult = { sent: 0, retrying: 0, dead: 0 };
  await Promise.all(
    rows.map(async (row) => {
      const r = await send(ctx, row);
      const status = recordAttempt(ctx.db, row, owner, r, ctx.now());
      if (status === "sent") out.sent++;
      else if (status === "dead") out.dead++;
      else out.retrying++;
    }),
  );
  return out;
}

/** The dashboard's test-send: a test message through the real path, answered with the receiver's status. */
export async function testAlertChannel({ ctx, input }: VerbArgs<{ channel_id: string }>) {
  const channel = requireChannel(ctx, input.channel_id);
  requireRole(ctx.actor, "admin", channel.experimentId ?? undefined);
  const now = ctx.now();
  const id = `test_${newHex(8)}`;
  const message: AlertMessage = {
    id,
    type: "alert.test",
    created_at: new Date(now).toISOString(),
    alert: {
      alert_id: id,
      rule_id: null,
      rule_name: "Test notification",
      kind: "test",
      severity: "info",
      experiment_id: String(channel.experimentId ?? 0),
      scorer: null,
      summary: `A test from Vigil to the channel '${channel.name}'.`,
      value: {},
      window_start: null,
      window_end: null,
      fired_at: now,
      resolved_at: null,
      url: `${publicUrl(ctx.config)}/alerts`,
    },
  };
  const deliveryId = ctx.db.transaction(() => {
    recordAudit(ctx, { action: "alert_channel.test", entityType: "alert_channel", entityId: channel.channelId, experimentId: channel.experimentId });
    return enqueueNotification(ctx.db, { channelId: channel.channelId, alertId: null, event: "test", message, now })!;
  });
  await deliverOutbox(ctx, { deliveryId, limit: 1 });
  const row = ctx.db.$client.prepare("SELECT status, last_status, last_error FROM alert_outbox WHERE delivery_id = ?").get(deliveryId) as {
    status: string;
    last_status: number | null;
    last_error: string | null;
  };
  return { delivery_id: deliveryId, ok: row.status === "sent", http_status: row.last_status, error: row.last_error };
}
