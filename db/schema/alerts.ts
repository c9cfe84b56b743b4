import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";

// Alerts (issue 17): rules evaluated by the worker on rollups, a state per rule and series, the
// incidents they raise, receivers, a durable outbox of notifications with its delivery log, and
// silences. Enumerations are `as const` tuples shared with the zod inputs in lib/alerts.

export const alertRuleKinds = ["quality_drop", "error_rate", "scorer_paused", "budget", "lag", "no_traffic"] as const;
export const alertSeverities = ["critical", "warning", "info"] as const;
export const alertRuleSources = ["default", "config", "api"] as const;
export const alertStates = ["OK", "PENDING", "FIRING", "RESOLVED", "NO_DATA"] as const;
export const alertChannelKinds = ["webhook", "slack", "pagerduty"] as const;
export const alertOutboxEvents = ["trigger", "resolve", "test"] as const;
export const alertOutboxStatuses = ["pending", "sent", "dead"] as const;

export const alertRules = sqliteTable(
  "alert_rules",
  {
    ruleId: text("rule_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: alertRuleKinds }).notNull(),
    // null: every scorer of the experiment (one series each); experiment-wide kinds keep it null.
    scorerName: text("scorer_name"),
    // JSON of the kind's parameters (see lib/alerts/rule-params.ts), validated on every write.
    params: text("params").notNull(),
    forMs: integer("for_ms").notNull().default(0),
    severity: text("severity", { enum: alertSeverities }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    source: text("source", { enum: alertRuleSources }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("alert_rules_exp_name_uq").on(t.experimentId, t.name), index("alert_rules_scorer_idx").on(t.experimentId, t.scorerName)],
);

// The state machine's memory per (rule, series); a series is a scorer name, or "" for rules
// about the whole experiment. `alert_id` names the open incident while PENDING or FIRING.
export const alertSeries = sqliteTable(
  "alert_series",
  {
    ruleId: text("rule_id").notNull(),
    seriesKey: text("series_key").notNull(),
    state: text("state", { enum: alertStates }).notNull(),
    since: integer("since").notNull(),
    pendingSince: integer("pending_since"),
    alertId: text("alert_id"),
    lastValue: text("last_value"),
    lastEvalAt: integer("last_eval_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.seriesKey] })],
);

// One row per incident (a FIRING episode of a series): the history, acknowledgements, and the
// window that fired, which the scorer page's chart marks.
export const alertEvents = sqliteTable(
  "alert_events",
  {
    alertId: text("alert_id").primaryKey(),
    ruleId: text("rule_id").notNull(),
    seriesKey: text("series_key").notNull(),
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name"),
    kind: text("kind", { enum: alertRuleKinds }).notNull(),
    severity: text("severity", { enum: alertSeverities }).notNull(),
    summary: text("summary").notNull(),
    value: text("value").notNull(), // JSON: the figures that decided it
    windowStart: integer("window_start"),
    windowEnd: integer("window_end"),
    firedAt: integer("fired_at").notNull(),
    resolvedAt: integer("resolved_at"),
    ackedAt: integer("acked_at"),
    ackedBy: text("acked_by"),
    // Whether the trigger went out (not silenced): a resolve is only sent after a trigger.
    notified: integer("notified", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("alert_events_exp_idx").on(t.experimentId, t.firedAt), index("alert_events_open_idx").on(t.resolvedAt, t.firedAt)],
);

// Receivers. The URL and the secret (HMAC key or PagerDuty routing key) are AES-GCM encrypted;
// only `url_hint` is ever shown back.
export const alertChannels = sqliteTable("alert_channels", {
  channelId: text("channel_id").primaryKey(),
  name: text("name").notNull().unique(),
  kind: text("kind", { enum: alertChannelKinds }).notNull(),
  // null: alerts of every experiment.
  experimentId: integer("experiment_id"),
  urlEnc: text("url_enc").notNull(),
  urlHint: text("url_hint").notNull(),
  secretEnc: text("secret_enc"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Durable outbox: a row is written in the transaction that changes an alert's state, with its
// payload fixed then, so a retry after a crash re-sends the same identity and body.
export const alertOutbox = sqliteTable(
  "alert_outbox",
  {
    deliveryId: text("delivery_id").primaryKey(),
    alertId: text("alert_id"),
    channelId: text("channel_id").notNull(),
    event: text("event", { enum: alertOutboxEvents }).notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: alertOutboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [index("alert_outbox_due_idx").on(t.status, t.nextAttemptAt), uniqueIndex("alert_outbox_event_uq").on(t.alertId, t.channelId, t.event)],
);

// Every attempt with the receiver's answer.
export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: text("delivery_id").notNull(),
    channelId: text("channel_id").notNull(),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    httpStatus: integer("http_status"),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("alert_deliveries_channel_idx").on(t.channelId, t.at), index("alert_deliveries_delivery_idx").on(t.deliveryId)],
);

export const alertSilences = sqliteTable(
  "alert_silences",
  {
    silenceId: text("silence_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    ruleId: text("rule_id"),
    scorerName: text("scorer_name"),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    reason: text("reason").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    // Ended early by an operator.
    cancelledAt: integer("cancelled_at"),
  },
  (t) => [index("alert_silences_exp_idx").on(t.experimentId, t.endsAt)],
);

// When the last evaluation ran and who holds the once-a-minute lease (several workers).
export const alertTicks = sqliteTable("alert_ticks", {
  name: text("name").primaryKey(),
  lastAt: integer("last_at").notNull(),
  owner: text("owner"),
  expiresAt: integer("expires_at"),
});
