// /api/v1/alerts over real HTTP: bad input is a 400 naming the field with nothing saved, roles
// (viewer reads, operator acks and silences, admin edits rules and channels), experiment-scoped
// tokens stay in their experiment, receiver secrets never come back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, addToken } from "@/tests/integration/mlflow.helpers";
import { startTestServer, type TestServer } from "@/tests/helpers/server";
import { registerScorer } from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { createExperiment } from "@/lib/experiments";
import { startReceiver, type Receiver } from "./testing/receivers";

let s: TestServer;
let secure: TestServer;
let exp: string;
let other: string;
let rx: Receiver;
const R = "/api/v1/alerts";
const count = (table: string) => s.db.$client.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

beforeAll(async () => {
  s = await startTestServer({ VIGIL_ALERTS_ALLOW_INSECURE: "1" });
  secure = await startTestServer({});
  exp = createExperiment({ ctx: s.ctx, input: { name: "rest" } }).experiment_id;
  other = createExperiment({ ctx: s.ctx, input: { name: "other" } }).experiment_id;
  registerScorer({ ctx: s.ctx, input: { experiment_id: exp, name: "pii", serialized_scorer: serializeBuiltin({ name: "pii", className: "PIILeak" }) } });
  rx = await startReceiver(() => null);
});
afterAll(async () => {
  await rx.close();
  await s.close();
  await secure.close();
});

describe("bad input: a 400 naming the field, nothing saved", () => {
  it.each([
    ["an alpha above 0.2", { kind: "quality_drop", scorer: "pii", params: { alpha: 0.5 } }, "params.alpha"],
    ["a negative min effect", { kind: "quality_drop", scorer: "pii", params: { min_effect: -1 } }, "params.min_effect"],
    ["a window shorter than a bucket", { kind: "quality_drop", scorer: "pii", params: { window: "15m" } }, "params.window"],
    ["a window of part hours", { kind: "error_rate", scorer: "pii", params: { window: "90m" } }, "params.window"],
    ["a baseline shorter than the window", { kind: "quality_drop", scorer: "pii", params: { window: "6h", baseline: "1h" } }, "params.baseline"],
    ["an error rate of 2", { kind: "error_rate", scorer: "pii", params: { max_rate: 2 } }, "params.max_rate"],
    ["an unknown parameter", { kind: "lag", params: { max_lagg: "5m" } }, "params"],
    ["an unknown scorer", { kind: "error_rate", scorer: "nope" }, "scorer"],
    ["a scorer on an experiment-wide kind", { kind: "no_traffic", scorer: "pii" }, "scorer"],
    ["a bad duration", { kind: "no_traffic", for: "soon" }, "for"],
    ["an unknown kind", { kind: "vibes" }, "kind"],
  ])("rule with %s", async (_n, rule, field) => {
    const before = count("alert_rules");
    const r = await api(s, "PUT", `${R}/rules`, { experiment_id: exp, name: "bad", ...rule });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(String(r.json.message)).toContain(`'${field}`);
    expect(count("alert_rules")).toBe(before);
  });

  it.each([
    ["a plain-http receiver where https is required", "http://93.184.216.34/x", "https", "secure"],
    ["a link-local address", "https://169.254.169.254/latest/meta-data", "link-local", "secure"],
    ["a link-local address even when insecure receivers are allowed", "http://169.254.169.254/", "link-local", "lax"],
    ["a private address", "https://10.1.2.3/hook", "private", "secure"],
    ["Vigil itself", "https://127.0.0.1:3000/api/v1/alerts", "Vigil itself", "secure"],
    ["Vigil itself when insecure receivers are allowed", "http://localhost:3000/", "Vigil itself", "lax"],
    ["a host that does not resolve", "https://no-such-host.invalid/hook", "does not resolve", "secure"],
    ["credentials in the URL", "https://user:pw@hooks.example.com/x", "credentials", "secure"],
    ["not a URL", "hooks", "not a URL", "secure"],
  ])("channel with %s", async (_n, target, why, which) => {
    const srv = which === "secure" ? secure : s;
    const before = srv.db.$client.prepare("SELECT COUNT(*) FROM alert_channels").pluck().get();
    const r = await api(srv, "POST", `${R}/channels`, { name: `c-${Math.random()}`, kind: "webhook", url: target });
    expect(r.status).toBe(400);
    expect(String(r.json.message)).toContain("'url'");
    expect(String(r.json.message)).toContain(why);
    expect(srv.db.$client.prepare("SELECT COUNT(*) FROM alert_channels").pluck().get()).toBe(before);
  });

  it("refuses a silence without a reason or an end", async () => {
    for (const body of [
      { scorer: "pii", duration: "1h" },
      { scorer: "pii", reason: "x" },
      { scorer: "pii", reason: "x", ends_at: 1000 },
      { reason: "x", duration: "1h" },
    ]) {
      const r = await api(s, "POST", `${R}/silences`, { experiment_id: exp, ...body });
      expect(r.status).toBe(400);
    }
    expect(count("alert_silences")).toBe(0);
  });
});

describe("roles and secrets", () => {
  it("lets admins edit rules and channels, operators ack and silence, viewers read", async () => {
    const viewer = addToken(s, "viewer");
    const operator = addToken(s, "operator");
    const admin = addToken(s, "admin");
    const rule = {
      experiment_id: exp,
      name: "pii drop fast",
      kind: "quality_drop",
      scorer: "pii",
      params: { window: "1h", min_count: 50 },
      for: "5m",
      severity: "critical",
    };
    expect((await api(s, "PUT", `${R}/rules`, rule, operator)).status).toBe(403);
    const created = await api(s, "PUT", `${R}/rules`, rule, admin);
    expect(created.status).toBe(201);
    expect((await api(s, "PUT", `${R}/rules`, rule, admin)).json.change).toBe("unchanged");
    const id = (created.json.rule as { rule_id: string }).rule_id;
    expect((await api(s, "PATCH", `${R}/rules/${id}`, { params: { min_count: 80 } }, admin)).json.rule).toMatchObject({
      params: { min_count: 80, window: 3_600_000 },
    });
    expect((await api(s, "GET", `${R}/rules?experiment_id=${exp}&scorer=pii`, undefined, viewer)).status).toBe(200);
    expect((await api(s, "POST", `${R}/silences`, { experiment_id: exp, scorer: "pii", duration: "1h", reason: "deploy" }, viewer)).status).toBe(403);
    expect((await api(s, "POST", `${R}/silences`, { experiment_id: exp, scorer: "pii", duration: "1h", reason: "deploy" }, operator)).status).toBe(201);
    expect((await api(s, "POST", `${R}/channels`, { name: "op", kind: "slack", url: rx.url }, operator)).status).toBe(403);
    const ch = await api(s, "POST", `${R}/channels`, { name: "pd", kind: "pagerduty", url: rx.url, secret: "routing-key-123" }, admin);
    expect(ch.status).toBe(201);
    const listed = JSON.stringify((await api(s, "GET", `${R}/channels`, undefined, viewer)).json);
    expect(listed).not.toContain("routing-key-123");
    expect(listed).not.toContain(rx.url);
    expect(JSON.stringify(s.db.$client.prepare("SELECT * FROM alert_channels").all())).not.toContain("routing-key-123");
    expect((await api(s, "DELETE", `${R}/rules/${id}`, undefined, operator)).status).toBe(403);
    expect((await api(s, "DELETE", `${R}/rules/${id}`, undefined, admin)).status).toBe(200);
  });

  it("keeps an experiment-scoped token inside its experiment", async () => {
    const scoped = addToken(s, "admin", Number(exp));
    expect((await api(s, "GET", `${R}/rules?experiment_id=${other}`, undefined, scoped)).status).toBe(403);
    expect((await api(s, "GET", `${R}?experiment_id=${other}`, undefined, scoped)).status).toBe(403);
    expect((await api(s, "POST", `${R}/silences`, { experiment_id: other, rule_id: "x", reason: "x", duration: "1h" }, scoped)).status).toBe(403);
    expect((await api(s, "POST", `${R}/channels`, { name: "global", kind: "slack", url: rx.url }, scoped)).status).toBe(403);
    expect((await api(s, "POST", `${R}/channels`, { name: "mine", kind: "slack", url: rx.url, experiment_id: exp }, scoped)).status).toBe(201);
    const mine = (await api(s, "GET", `${R}/channels`, undefined, scoped)).json.channels as { name: string }[];
    expect(mine.map((c) => c.name)).toEqual(["mine"]);
  });
});
