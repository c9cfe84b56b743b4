// The outbox's row operations. Enqueueing happens inside the caller's transaction (the one that
// fires or resolves an alert); the unique (alert, channel, event) index makes a second enqueue of
// the same notification a no-op, so a repeated evaluation cannot send a second identity.
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { backoffCapMs } from "@/lib/core/backoff";
import { claimLeased } from "@/db/lease-claim";
import { alertOutbox } from "@/db/schema";
import type { alertOutboxEvents } from "@/db/schema/alerts";
import type { AlertMessage } from "./payloads";

export const MAX_ATTEMPTS = 10;

/** Backoff before attempt `attempts + 1`: 15 s, 30 s, 1 min, ... capped at 30 min. */
export const nextAttemptDelay = (attempts: number) => backoffCapMs(attempts, { baseMs: 15_000, maxMs: 30 * 60_000 });

/** Whether a receiver's answer is worth retrying: network errors, timeouts, 408, 429 and 5xx. */
export const retryable = (status: number | null) => status === null || status === 408 || status === 429 || status >= 500;

export function enqueueNotification(
  db: Db,
  o: { channelId: string; alertId: string | null; event: (typeof alertOutboxEvents)[number]; message: AlertMessage; now: number },
): string | null {
  const deliveryId = `dlv_${randomUUID().replaceAll("-", "")}`;
  const r = db
    .insert(alertOutbox)
    .values({
      deliveryId,
      alertId: o.alertId,
      channelId: o.channelId,
      event: o.event,
      payload: JSON.stringify(o.message),
      nextAttemptAt: o.now,
      createdAt: o.now,
    })
    .onConflictDoNothing()
    .run();
  return r.changes === 1 ? deliveryId : null;
}

export type OutboxRow = typeof alertOutbox.$inferSelect;

/** Leases due rows (attempts counted at the claim, so a crash mid-send still counts). */
export function claimDue(db: Db, owner: string, now: number, leaseMs: number, limit: number, onlyDeliveryId?: string): OutboxRow[] {
  const rows = claimLeased(
    db.$client,
    {
      table: "alert_outbox",
      key: "delivery_id",
      due: onlyDeliveryId === undefined ? "status = 'pending' AND next_attempt_at <= @now" : "delivery_id = @id AND status = 'pending'",
      order: "next_attempt_at",
      returning: "*",
      set: "attempts = attempts + 1",
    },
    { owner, now, leaseMs, limit, params: { id: onlyDeliveryId ?? null } },
  ) as Record<string, unknown>[];
  return rows.map((r) => ({
    deliveryId: r.delivery_id as string,
    alertId: r.alert_id as string | null,
    channelId: r.channel_id as string,
    event: r.event as OutboxRow["event"],
    payload: r.payload as string,
    status: r.status as OutboxRow["status"],
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as number,
    leaseOwner: r.lease_owner as string | null,
    leaseExpiresAt: r.lease_expires_at as number | null,
    lastStatus: r.last_status as number | null,
    lastError: r.last_error as string | null,
    createdAt: r.created_at as number,
    sentAt: r.sent_at as number | null,
  }));
}

export interface AttemptResult {
  httpStatus: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
}

/** Records an attempt and moves the row: sent, retried later, or dead. Only the lease holder may. */
export function recordAttempt(db: Db, row: OutboxRow, owner: string, r: AttemptResult, now: number): OutboxRow["status"] {
  return db.transaction(() => {
    const status: OutboxRow["status"] = r.ok ? "sent" : retryable(r.httpStatus) && row.attempts < MAX_ATTEMPTS ? "pending" : "dead";
    const upd = db.$client
      .prepare(
        `UPDATE alert_outbox SET status = @status, last_status = @http, last_error = @error, lease_owner = NULL, lease_expires_at = NULL,
           next_attempt_at = @next, sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END
         WHERE delivery_id = @id AND lease_owner = @owner`,
      )
      .run({ status, http: r.httpStatus, error: r.error, next: now + nextAttemptDelay(row.attempts), now, id: row.deliveryId, owner });
    db.$client
      .prepare(
        `INSERT INTO alert_deliveries (delivery_id, channel_id, attempt, at, http_status, ok, error, duration_ms)
         VALUES (@deliveryId, @channelId, @attempt, @now, @httpStatus, @ok, @error, @durationMs)`,
      )
      .run({
        deliveryId: row.deliveryId,
        channelId: row.channelId,
        attempt: row.attempts,
        now,
        httpStatus: r.httpStatus,
        ok: r.ok ? 1 : 0,
        error: r.error,
        durationMs: r.durationMs,
      });
    return upd.changes === 1 ? status : row.status;
  });
}
