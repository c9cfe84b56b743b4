// The worker's alert pass: once a minute (one worker at a time, by a row in alert_ticks), every
// enabled rule is judged on rollups, each series steps its state machine, and fires and resolves
// are written with their outbox rows in the same transaction. Delivery happens after, outside it.
import { eq } from "drizzle-orm";
import { alertChannels, alertEvents, alertRules } from "@/db/schema";
import { newHex, type Ctx } from "@/lib/core";
import { cachedStatement as stmt } from "@/db/cached-statement";
import { alertMessage } from "./alert-message";
import { FigureCache, judgeRule, lookbackOf, type SeriesVerdict } from "./judge-series";
import { enqueueNotification } from "./outbox";
import { activeSilences, isSilenced, type SilenceRow } from "./silences";
import { initialSeries, stepSeries, type SeriesState } from "./state-machine";
import type { RuleRow } from "./rule-store";

export const EVALUATE_EVERY_MS = 60_000;

export interface EvaluateResult {
  ran: boolean;
  rules: number;
  series: number;
  fired: number;
  resolved: number;
  enqueued: number;
}

type EventRow = typeof alertEvents.$inferSelect;

interface SeriesRow {
  state: SeriesState["state"];
  since: number;
  pending_since: number | null;
  alert_id: string | null;
}

/** Claims this minute's evaluation; false when another worker (or this one) ran it less than a minute ago. */
function claimMinute(ctx: Ctx, now: number, force: boolean): boolean {
  const db = ctx.db.$client;
  db.prepare("INSERT OR IGNORE INTO alert_ticks (name, last_at) VALUES ('evaluate', 0)").run();
  const r = db
    .prepare("UPDATE alert_ticks SET last_at = @now WHERE name = 'evaluate' AND (@force OR last_at <= @now - @every)")
    .run({ now, every: EVALUATE_EVERY_MS, force: force ? 1 : 0 });
  return r.changes === 1;
}

function channelsFor(ctx: Ctx, experimentId: number) {
  return ctx.db
    .select()
    .from(alertChannels)
    .where(eq(alertChannels.enabled, true))
    .all()
    .filter((c) => c.experimentId === null || c.experimentId === experimentId);
}

class Notifier {
  enqueued = 0;
  constructor(
    private readonly ctx: Ctx,
    private readonly now: number,
  ) {}
  send(e: EventRow, ruleName: string, event: "trigger" | "resolve"): void {
    for (const c of channelsFor(this.ctx, e.experimentId)) {
      if (
        enqueueNotification(this.ctx.db, {
          channelId: c.channelId,
          alertId: e.alertId,
          event,
          message: alertMessage(this.ctx.config, e, ruleName, event, this.now),
          now: this.now,
        })
      )
        this.enqueued++;
    }
  }
}

function getEvent(ctx: Ctx, alertId: string): EventRow | undefined {
  return ctx.db.select().from(alertEvents).where(eq(alertEvents.alertId, alertId)).get();
}

function resolveEvent(ctx: Ctx, n: Notifier, e: EventRow, ruleName: string, now: number): void {
  ctx.db.update(alertEvents).set({ resolvedAt: now }).where(eq(alertEvents.alertId, e.alertId)).run();
  if (e.notified) n.send({ ...e, resolvedAt: now }, ruleName, "resolve");
}

function stepOne(ctx: Ctx, n: Notifier, rule: RuleRow, v: SeriesVerdict, silences: SilenceRow[], now: number, out: EvaluateResult): void {
  const db = ctx.db.$client;
  const prevRow = stmt(db, "SELECT state, since, pending_since, alert_id FROM alert_series WHERE rule_id = ? AND series_key = ?").get(
    rule.ruleId,
    v.seriesKey,
  ) as SeriesRow | undefined;
  const prev: SeriesState = prevRow ? { state: prevRow.state, since: prevRow.since, pendingSince: prevRow.pending_since } : initialSeries(now);
  const { next, effect } = stepSeries(prev, v.obs, rule.forMs, now);
  let alertId = prevRow?.alert_id ?? null;
  const silenced = isSilenced(silences, rule, v.scorerName);
  if (effect === "fire") {
    alertId = `alt_${newHex(12)}`;
    const e: EventRow = {
      alertId,
      ruleId: rule.ruleId,
      seriesKey: v.seriesKey,
      experimentId: rule.experimentId,
      scorerName: v.scorerName,
      kind: rule.kind,
      severity: rule.severity,
      summary: v.summary,
      value: JSON.stringify(v.value),
      windowStart: v.windowStart ?? next.pendingSince,
      windowEnd: v.windowEnd ?? now,
      firedAt: now,
      resolvedAt: null,
      ackedAt: null,
      ackedBy: null,
      notified: !silenced,
    };
    ctx.db.insert(alertEvents).values(e).run();
    if (!silenced) n.send(e, rule.name, "trigger");
    out.fired++;
  } else if (effect === "resolve" && alertId) {
    const e = getEvent(ctx, alertId);
    if (e && e.resolvedAt === null) resolveEvent(ctx, n, e, rule.name, now);
    out.resolved++;
  } else if (next.state === "FIRING" && alertId && !silenced) {
    // A silence ended while the alert still fires: the page goes out now.
    const e = getEvent(ctx, alertId);
    if (e && !e.notified) {
      ctx.db.update(alertEvents).set({ notified: true }).where(eq(alertEvents.alertId, alertId)).run();
      n.send({ ...e, notified: true }, rule.name, "trigger");
    }
  }
  stmt(
    db,
    `INSERT INTO alert_series (rule_id, series_key, state, since, pending_since, alert_id, last_value, last_eval_at) VALUES (@rule, @key, @state, @since, @pending, @alert, @value, @now)
     ON CONFLICT (rule_id, series_key) DO UPDATE SET state = excluded.state, since = excluded.since, pending_since = excluded.pending_since,
       alert_id = excluded.alert_id, last_value = excluded.last_value, last_eval_at = excluded.last_eval_at`,
  ).run({
    rule: rule.ruleId,
    key: v.seriesKey,
    state: next.state,
    since: next.since,
    pending: next.pendingSince,
    alert: alertId,
    value: JSON.stringify({ summary: v.summary, ...v.value }),
    now,
  });
  out.series++;
}

/** Open incidents whose rule was deleted or disabled are resolved (and the resolve sent if the trigger was). */
function closeOrphans(ctx: Ctx, n: Notifier, now: number, out: EvaluateResult): void {
  const rows = ctx.db.$client
    .prepare(
      "SELECT e.alert_id AS id, r.name AS name FROM alert_events e LEFT JOIN alert_rules r ON r.rule_id = e.rule_id WHERE e.resolved_at IS NULL AND (r.rule_id IS NULL OR r.enabled = 0)",
    )
    .all() as { id: string; name: string | null }[];
  for (const r of rows) {
    const e = getEvent(ctx, r.id)!;
    resolveEvent(ctx, n, e, r.name ?? "deleted rule", now);
    ctx.db.$client.prepare("DELETE FROM alert_series WHERE alert_id = ?").run(r.id);
    out.resolved++;
  }
}

/** One evaluation of every enabled rule (`force` skips the once-a-minute claim: tests, the bench). */
export function evaluateAlerts(ctx: Ctx, opts: { force?: boolean } = {}): EvaluateResult {
  const now = ctx.now();
  const out: EvaluateResult = { ran: false, rules: 0, series: 0, fired: 0, resolved: 0, enqueued: 0 };
  return ctx.db.transaction(() => {
    if (!claimMinute(ctx, now, opts.force ?? false)) return out;
    out.ran = true;
    const rules = ctx.db.select().from(alertRules).where(eq(alertRules.enabled, true)).all();
    const live = ctx.db.$client.prepare("SELECT experiment_id FROM experiments WHERE lifecycle_stage = 'active'").pluck().all() as number[];
    const active = new Set(live);
    const figures = new FigureCache(ctx.db, now, lookbackOf(rules));
    const silences = activeSilences(ctx.db, now);
    const n = new Notifier(ctx, now);
    for (const rule of rules) {
      if (!active.has(rule.experimentId)) continue;
      out.rules++;
      for (const v of judgeRule(rule, figures)) stepOne(ctx, n, rule, v, silences, now, out);
    }
    closeOrphans(ctx, n, now, out);
    out.enqueued = n.enqueued;
    return out;
  });
}
