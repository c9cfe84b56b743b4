// Receivers of notifications. Admins create and delete them; the URL and secret are encrypted at
// rest and never shown again (a webhook's signing secret is shown once, when Vigil makes it).
import { randomBytes, randomUUID } from "node:crypto";
import { desc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { alertChannels, alertDeliveries } from "@/db/schema";
import { alertChannelKinds } from "@/db/schema/alerts";
import { recordAudit } from "@/lib/audit";
import { AlreadyExistsError, InvalidParameterError, NotFoundError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { checkReceiverUrl, dnsResolver, type Resolver } from "./receiver-url";
import { encryptSecret, urlHint } from "./secrets";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

export const CreateAlertChannelInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    kind: z.enum(alertChannelKinds),
    /** Slack: the incoming-webhook URL; webhook: the receiver; PagerDuty: defaults to Events API v2. */
    url: z.string().optional(),
    /** PagerDuty: the integration's routing key. Webhook: a signing secret (Vigil makes one if left out). */
    secret: z.string().min(8, "must be at least 8 characters").optional(),
    /** Only this experiment's alerts; left out: every experiment. */
    experiment_id: experimentIdString.optional(),
  })
  .strict();
export type CreateAlertChannelInput = z.input<typeof CreateAlertChannelInput>;

type ChannelRow = typeof alertChannels.$inferSelect;

export interface AlertChannelJson {
  channel_id: string;
  name: string;
  kind: ChannelRow["kind"];
  experiment_id: string | null;
  url_hint: string;
  has_secret: boolean;
  enabled: boolean;
  created_at: number;
  last_delivery: { at: number; http_status: number | null; ok: boolean; error: string | null } | null;
}

function channelJson(ctx: Ctx, r: ChannelRow): AlertChannelJson {
  const last = ctx.db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, r.channelId)).orderBy(desc(alertDeliveries.id)).limit(1).get();
  return {
    channel_id: r.channelId,
    name: r.name,
    kind: r.kind,
    experiment_id: r.experimentId === null ? null : String(r.experimentId),
    url_hint: r.urlHint,
    has_secret: r.secretEnc !== null,
    enabled: r.enabled,
    created_at: r.createdAt,
    last_delivery: last ? { at: last.at, http_status: last.httpStatus, ok: last.ok, error: last.error } : null,
  };
}

/** A channel for every experiment is global: only an unscoped admin may manage it. */
function requireChannelAdmin(ctx: Ctx, experimentId: number | null): void {
  if (experimentId === null) {
    requireRole(ctx.actor, "admin");
    if (ctx.actor.experimentId != null)
      throw new InvalidParameterError("A token limited to one experiment may only manage that experiment's channels; give 'experiment_id'.");
  } else requireRole(ctx.actor, "admin", experimentId);
}

export async function createAlertChannel(
  { ctx, input }: VerbArgs<CreateAlertChannelInput>,
  resolve: Resolver = dnsResolver,
): Promise<{ channel: AlertChannelJson; signing_secret?: string }> {
  const r = CreateAlertChannelInput.safeParse(input);
  if (!r.success) throw new InvalidParameterError(`Invalid alert channel: ${r.error.issues.map((i) => `'${i.path.join(".")}' ${i.message}`).join("; ")}`);
  const i = r.data;
  requireChannelAdmin(ctx, i.experiment_id ?? null);
  if (i.experiment_id !== undefined) requireActiveExperiment(ctx.db, i.experiment_id);
  if (i.kind === "pagerduty" && !i.secret)
    throw new InvalidParameterError("Invalid value for 'secret': a PagerDuty channel needs its integration's routing key.");
  if (i.kind === "slack" && i.secret)
    throw new InvalidParameterError("Invalid value for 'secret': a Slack incoming webhook takes no secret (its URL is the secret).");
  const url = await checkReceiverUrl(i.url ?? (i.kind === "pagerduty" ? PAGERDUTY_EVENTS_URL : undefined), "url", ctx.config, resolve);
  const made = i.kind === "webhook" && !i.secret ? `whsec_${randomBytes(24).toString("base64url")}` : undefined;
  const secret = i.secret ?? made;
  const now = ctx.now();
  return ctx.db.transaction(() => {
    if (ctx.db.select().from(alertChannels).where(eq(alertChannels.name, i.name)).get())
      throw new AlreadyExistsError(`An alert channel named '${i.name}' already exists.`);
    const row: ChannelRow = {
      channelId: randomUUID(),
      name: i.name,
      kind: i.kind,
      experimentId: i.experiment_id ?? null,
      urlEnc: encryptSecret(ctx.config, url),
      urlHint: urlHint(url),
      secretEnc: secret ? encryptSecret(ctx.config, secret) : null,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    };
    ctx.db.insert(alertChannels).values(row).run();
    recordAudit(ctx, {
      action: "alert_channel.create",
      entityType: "alert_channel",
      entityId: row.channelId,
      experimentId: row.experimentId,
      after: { name: row.name, kind: row.kind, url_hint: row.urlHint },
    });
    return { channel: channelJson(ctx, row), ...(made ? { signing_secret: made } : {}) };
  });
}

export function requireChannel(ctx: Ctx, channelId: string): ChannelRow {
  const row = ctx.db.select().from(alertChannels).where(eq(alertChannels.channelId, channelId)).get();
  if (!row) throw new NotFoundError(`Alert channel '${channelId}' not found.`);
  if (ctx.actor.experimentId != null && row.experimentId !== ctx.actor.experimentId) throw new NotFoundError(`Alert channel '${channelId}' not found.`);
  return row;
}

export function listAlertChannels({ ctx, input }: VerbArgs<{ experiment_id?: string | number }>): { channels: AlertChannelJson[] } {
  const exp = input.experiment_id === undefined ? undefined : experimentIdString.parse(input.experiment_id);
  // Without an experiment, a scoped token lists its own experiment's channels.
  const scope = exp ?? ctx.actor.experimentId ?? null;
  requireRole(ctx.actor, "viewer", scope ?? undefined);
  const rows = ctx.db
    .select()
    .from(alertChannels)
    .where(scope === null ? undefined : or(eq(alertChannels.experimentId, scope), isNull(alertChannels.experimentId)))
    .all();
  // A scoped token sees its experiment's own channels only: global ones may name other teams.
  const visible = ctx.actor.experimentId != null ? rows.filter((r) => r.experimentId === ctx.actor.experimentId) : rows;
  return { channels: visible.map((r) => channelJson(ctx, r)) };
}

export function deleteAlertChannel({ ctx, input }: VerbArgs<{ channel_id: string }>): { channel_id: string } {
  const row = requireChannel(ctx, input.channel_id);
  requireChannelAdmin(ctx, row.experimentId);
  return ctx.db.transaction(() => {
    ctx.db.delete(alertChannels).where(eq(alertChannels.channelId, row.channelId)).run();
    ctx.db.$client
      .prepare("UPDATE alert_outbox SET status = 'dead', last_error = 'channel deleted' WHERE channel_id = ? AND status = 'pending'")
      .run(row.channelId);
    recordAudit(ctx, {
      action: "alert_channel.delete",
      entityType: "alert_channel",
      entityId: row.channelId,
      experimentId: row.experimentId,
      before: { name: row.name, kind: row.kind, url_hint: row.urlHint },
    });
    return { channel_id: row.channelId };
  });
}

export function listAlertDeliveries({ ctx, input }: VerbArgs<{ channel_id: string; max_results?: number }>) {
  const row = requireChannel(ctx, input.channel_id);
  requireRole(ctx.actor, "viewer", row.experimentId ?? undefined);
  const limit = Math.min(500, Math.max(1, Number(input.max_results ?? 50) || 50));
  const rows = ctx.db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, row.channelId)).orderBy(desc(alertDeliveries.id)).limit(limit).all();
  return {
    deliveries: rows.map((d) => ({
      delivery_id: d.deliveryId,
      attempt: d.attempt,
      at: d.at,
      http_status: d.httpStatus,
      ok: d.ok,
      error: d.error,
      duration_ms: d.durationMs,
    })),
  };
}
