// Alerts end to end against a real SQLite file and real HTTP receivers: a quality drop fires
// once and resolves once on a webhook (HMAC checked), Slack and PagerDuty; a 500 is retried with
// backoff; a silence holds the page until it ends.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { registerScorer } from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath } from "@/tests/helpers/server";
import {
  createAlertChannel,
  deliverOutbox,
  evaluateAlerts,
  listAlertRules,
  listAlerts,
  putAlertRule,
  updateAlertRule,
  createSilence,
  cancelSilence,
  testAlertChannel,
  ackAlert,
  countAttentionAlerts,
} from ".";
import { pagerDutyCheck, slackCheck, startReceiver, webhookCheck, type Receiver } from "./testing/receivers";
import { putPassRollup } from "./testing/rollups";

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2026, 5, 1, 12, 30);
let now = T0;
let db: Db;
let ctx: Ctx;
let tmp: ReturnType<typeof tempDbPath>;
let exp: number;
const receivers: Receiver[] = [];
let hook: Receiver, slack: Receiver, pd: Receiver;
let secret: string;

const hourOf = (t: number) => Math.floor(t / H) * H;
/** A day at 90% pass (10 an hour), then the current hour at `passes` of `n`. */
function scores(scorer: string, n: number, passes: number, at = now) {
  for (let h = 1; h <= 24; h++) putPassRollup(db, { experimentId: exp, scorer, hour: hourOf(at) - h * H, n: 10, passes: 9 });
  putPassRollup(db, { experimentId: exp, scorer, hour: hourOf(at), n, passes });
}
const tick = () => evaluateAlerts(ctx, { force: true });
const outbox = () =>
  db.$client.prepare("SELECT * FROM alert_outbox WHERE event != 'test' ORDER BY created_at, channel_id").all() as {
    event: string;
    status: string;
    alert_id: string;
    attempts: number;
  }[];

beforeAll(async () => {
  tmp = tempDbPath("vigil-alerts-");
  const config = parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0", VIGIL_ALERTS_ALLOW_INSECURE: "1", VIGIL_PUBLIC_URL: "https://vigil.example.com" });
  db = openDb(config.databasePath);
  ctx = { db, config, actor: systemActor, now: () => now, fetch };
  exp = Number(createExperiment({ ctx, input: { name: "alerts" } }).experiment_id);
  registerScorer({ ctx, input: { experiment_id: String(exp), name: "safety", serialized_scorer: serializeBuiltin({ name: "safety", className: "PIILeak" }) } });
  hook = await startReceiver(webhookCheck("placeholder"));
  slack = await startReceiver(slackCheck);
  pd = await startReceiver(pagerDutyCheck("R0UTINGKEY123"), { pagerDuty: true });
  pd.fallback = 202;
  receivers.push(hook, slack, pd);
  const made = await createAlertChannel({ ctx, input: { name: "hook", kind: "webhook", url: hook.url } });
  secret = made.signing_secret!;
  await createAlertChannel({ ctx, input: { name: "slack", kind: "slack", url: slack.url } });
  await createAlertChannel({ ctx, input: { name: "pd", kind: "pagerduty", url: pd.url, secret: "R0UTINGKEY123" } });
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  db.$client.close();
  tmp.cleanup();
});
afterEach(() => {
  for (const r of [slack, pd]) expect(r.problems).toEqual([]);
});

describe("alerts through the outbox to real receivers", () => {
  it("gives a new scorer default rules", () => {
    const names = listAlertRules({ ctx, input: { experiment_id: exp } }).rules.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "safety quality drop",
        "safety error rate",
        "Scorer auto-paused",
        "Judge budget 80%",
        "Judge budget 100%",
        "Scoring lag",
        "No traffic",
      ]),
    );
  });

  it("fires a quality drop once after `for`, and resolves it once", async () => {
    scores("safety", 300, 201); // 90% → 67% over 300 assessments
    expect(tick()).toMatchObject({ ran: true, fired: 0 });
    const rule = listAlertRules({ ctx, input: { experiment_id: exp, scorer: "safety" } }).rules.find((r) => r.name === "safety quality drop")!;
    expect(rule.series[0]).toMatchObject({ series_key: "safety", state: "PENDING" });
    now += 10 * M;
    expect(tick()).toMatchObject({ fired: 1, enqueued: 3 });
    now += M;
    expect(tick()).toMatchObject({ fired: 0, enqueued: 0 });
    expect(await deliverOutbox(ctx)).toEqual({ sent: 3, retrying: 0, dead: 0 });
    expect(await deliverOutbox(ctx)).toEqual({ sent: 0, retrying: 0, dead: 0 });

    const [trigger] = hook.received;
    expect(hook.received).toHaveLength(1);
    expect(webhookCheck(secret, () => now)(trigger!)).toBeNull();
    expect(webhookCheck("wrong-secret", () => now)(trigger!)).toMatch(/bad signature/);
    expect(webhookCheck(secret, () => now + 3_600_000)(trigger!)).toMatch(/bad signature/); // too old: replay refused
    const msg = trigger!.json as { type: string; alert: { alert_id: string; url: string; window_start: number; summary: string } };
    expect(msg.type).toBe("alert.firing");
    expect(msg.alert.url).toBe(`https://vigil.example.com/experiments/${exp}/scorers/safety?range=24h&alert=${msg.alert.alert_id}`);
    expect(msg.alert.window_start).toBe(hourOf(now));
    expect(msg.alert.summary).toMatch(/^Pass rate dropped to 67\.0%/);
    expect(slack.received).toHaveLength(1);
    expect(String(slack.received[0]!.json.text)).toContain("Firing: safety quality drop");
    expect(pd.received.map((r) => [r.json.event_action, r.json.dedup_key])).toEqual([["trigger", msg.alert.alert_id]]);
    expect(countAttentionAlerts({ ctx, input: {} })).toBe(1);

    scores("safety", 300, 270); // back to 90%
    now += M;
    expect(tick()).toMatchObject({ resolved: 1, enqueued: 3 });
    now += M;
    expect(tick()).toMatchObject({ resolved: 0, enqueued: 0 });
    await deliverOutbox(ctx);
    expect(hook.received.map((r) => (r.json as { type: string }).type)).toEqual(["alert.firing", "alert.resolved"]);
    expect(pd.received.map((r) => [r.json.event_action, r.json.dedup_key])).toEqual([
      ["trigger", msg.alert.alert_id],
      ["resolve", msg.alert.alert_id],
    ]);
    expect(slack.received).toHaveLength(2);
    expect(listAlerts({ ctx, input: { experiment_id: exp } }).alerts[0]).toMatchObject({ state: "RESOLVED", alert_id: msg.alert.alert_id });
    expect(countAttentionAlerts({ ctx, input: {} })).toBe(0);
  });

  it("retries a receiver's 500 with backoff and logs each answer", async () => {
    hook.received.length = 0;
    hook.respond = [500, 503];
    const defaults = listAlertRules({ ctx, input: { experiment_id: exp } }).rules.find((r) => r.name === "safety error rate")!;
    expect(updateAlertRule({ ctx, input: { rule_id: defaults.rule_id, enabled: false } }).enabled).toBe(false);
    putAlertRule({
      ctx,
      input: { experiment_id: exp, name: "errors now", kind: "error_rate", scorer: "safety", params: { max_rate: 0.05, min_count: 10 }, severity: "critical" },
    });
    putPassRollup(db, { experimentId: exp, scorer: "safety", hour: hourOf(now), n: 300, passes: 270, errors: 100 });
    now += M;
    expect(tick().fired).toBe(1);
    expect(await deliverOutbox(ctx)).toMatchObject({ sent: 2, retrying: 1 });
    expect(await deliverOutbox(ctx)).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    now += 15_000;
    expect(await deliverOutbox(ctx)).toMatchObject({ retrying: 1 });
    now += 30_000;
    expect(await deliverOutbox(ctx)).toMatchObject({ sent: 1 });
    const ids = hook.received.map((r) => [r.headers["vigil-event-id"], r.headers["vigil-delivery-id"], r.body]);
    expect(new Set(ids.map((x) => JSON.stringify(x))).size).toBe(1);
    expect(ids).toHaveLength(3);
    const log = db.$client
      .prepare("SELECT attempt, http_status, ok FROM alert_deliveries WHERE delivery_id = ? ORDER BY id")
      .all(hook.received[0]!.headers["vigil-delivery-id"]);
    expect(log).toEqual([
      { attempt: 1, http_status: 500, ok: 0 },
      { attempt: 2, http_status: 503, ok: 0 },
      { attempt: 3, http_status: 200, ok: 1 },
    ]);
    const alert = listAlerts({ ctx, input: { experiment_id: exp, status: "open" } }).alerts[0]!;
    expect(ackAlert({ ctx, input: { alert_id: alert.alert_id } }).acked_by).toBe("system:worker");
    expect(countAttentionAlerts({ ctx, input: {} })).toBe(0);
  });

  it("holds pages while a silence lasts and sends the trigger when it is cancelled", async () => {
    const silence = createSilence({ ctx, input: { experiment_id: exp, scorer: "safety", duration: "2h", reason: "judge model migration" } });
    scores("safety", 300, 150); // a deep drop, no errors: the error alert resolves
    now += M;
    tick();
    const before = outbox().length;
    now += 10 * M;
    const fired = tick();
    expect(fired.fired).toBeGreaterThanOrEqual(1);
    expect(fired.enqueued).toBe(0);
    expect(outbox().length).toBe(before);
    expect(listAlerts({ ctx, input: { experiment_id: exp, status: "open" } }).alerts.some((a) => a.silenced && a.kind === "quality_drop")).toBe(true);
    cancelSilence({ ctx, input: { silence_id: silence.silence_id } });
    now += M;
    expect(tick().enqueued).toBe(3);
    const audit = db.$client.prepare("SELECT action FROM audit_log WHERE action LIKE 'alert.%' ORDER BY id").pluck().all();
    expect(audit).toEqual(["alert.ack", "alert.silence", "alert.unsilence"]);
  });

  it("test-sends to a channel and reports the receiver's status", async () => {
    slack.respond = [404];
    const channels = db.$client.prepare("SELECT channel_id, name FROM alert_channels").all() as { channel_id: string; name: string }[];
    const slackId = channels.find((c) => c.name === "slack")!.channel_id;
    expect(await testAlertChannel({ ctx, input: { channel_id: slackId } })).toMatchObject({ ok: false, http_status: 404 });
    expect(await testAlertChannel({ ctx, input: { channel_id: slackId } })).toMatchObject({ ok: true, http_status: 200 });
  });
});
