// kill -9 of the real worker process between the send and its record: the notification is not
// lost, and the retry carries the same identity (event id, delivery id, body), so a receiver
// that dedups on the id shows it once.
import { afterAll, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { tempDbPath } from "@/tests/helpers/server";
import { WorkerProcesses, waitFor } from "@/tests/helpers/worker-process";
import { createAlertChannel, enqueueNotification, type AlertMessage } from ".";
import { startReceiver, webhookCheck } from "./testing/receivers";

const workers = new WorkerProcesses();
afterAll(() => workers.killAll());

it("re-sends the same delivery after the worker is killed between send and record", async () => {
  const tmp = tempDbPath("vigil-alert-crash-");
  const env = {
    DATABASE_URL: tmp.file,
    VIGIL_ALERTS_ALLOW_INSECURE: "1",
    VIGIL_LEASE_MS: "1000",
    VIGIL_WORKER_POLL_MS: "50",
    VIGIL_ENGINE_SCORING_THREAD: "0",
  };
  const config = parseConfig({ ...env, VIGIL_DEMO: "0" });
  const db = openDb(config.databasePath);
  const ctx: Ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  const receiver = await startReceiver(() => null);
  try {
    const { channel, signing_secret } = await createAlertChannel({ ctx, input: { name: "hook", kind: "webhook", url: receiver.url } });
    const now = Date.now();
    const message: AlertMessage = {
      id: "alt_crash.trigger",
      type: "alert.firing",
      created_at: new Date(now).toISOString(),
      alert: {
        alert_id: "alt_crash",
        rule_id: null,
        rule_name: "crash",
        kind: "quality_drop",
        severity: "critical",
        experiment_id: "0",
        scorer: "s",
        summary: "drop",
        value: {},
        window_start: now,
        window_end: now,
        fired_at: now,
        resolved_at: null,
        url: "https://vigil.example.com/alerts",
      },
    };
    db.transaction(() => enqueueNotification(db, { channelId: channel.channel_id, alertId: "alt_crash", event: "trigger", message, now }));

    // The first request kills the worker before it can answer, let alone record the answer.
    const first = workers.start(env);
    const exited = new Promise((resolve) => first.once("exit", resolve));
    receiver.onRequest = () => {
      receiver.onRequest = undefined;
      first.kill("SIGKILL");
    };
    await waitFor("the first send", () => receiver.received.length === 1);
    await exited;
    const row = () => db.$client.prepare("SELECT status, attempts FROM alert_outbox").get() as { status: string; attempts: number };
    expect(row()).toEqual({ status: "pending", attempts: 1 });
    expect(db.$client.prepare("SELECT COUNT(*) FROM alert_deliveries").pluck().get()).toBe(0);

    const second = workers.start(env);
    await waitFor("the re-send to be recorded", () => row().status === "sent", 30_000);
    await workers.kill(second);

    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received;
    expect(b!.headers["vigil-event-id"]).toBe(a!.headers["vigil-event-id"]);
    expect(b!.headers["vigil-delivery-id"]).toBe(a!.headers["vigil-delivery-id"]);
    expect(b!.body).toBe(a!.body);
    for (const r of [a!, b!]) expect(webhookCheck(signing_secret!)(r)).toBeNull();
    expect(new Set(receiver.received.map((r) => r.headers["vigil-event-id"])).size).toBe(1);
    expect(row()).toEqual({ status: "sent", attempts: 2 });
  } finally {
    await receiver.close();
    db.$client.close();
    tmp.cleanup();
  }
});
