// Vigil's own scorer routes (/api/v1/scorers): status, start/stop, pause/resume, roles over real
// HTTP with tokens, and the audit records every change leaves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/lib/audit";
import { startTestServer, type TestServer } from "../helpers/server";
import { addToken, api } from "./mlflow.helpers";
import { S, V, get, pii, putConfig, pythonScorer, register, safety } from "./scorers.helpers";

describe("Vigil scorer routes", () => {
  let s: TestServer;
  let exp: string;
  let admin: Record<string, string>;
  let operator: Record<string, string>;
  let viewer: Record<string, string>;
  let otherExperimentOperator: Record<string, string>;

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
    admin = addToken(s, "admin");
    exp = (await api(s, "POST", "/api/2.0/mlflow/experiments/create", { name: "scorers-vigil" }, admin)).json.experiment_id;
    operator = addToken(s, "operator");
    viewer = addToken(s, "viewer");
    otherExperimentOperator = addToken(s, "operator", Number(exp) + 100);
    await register(s, exp, "safety", safety, admin);
    await register(s, exp, "pii", pii(), admin);
    await register(s, exp, "py_len", pythonScorer, admin);
  });
  afterAll(() => s.close());

  it("lists scorers with status, runnability and sampling", async () => {
    const r = await get(s, V, { experiment_id: exp }, viewer);
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.json.scorers.map((x: { name: string }) => [x.name, x]));
    expect(byName.safety).toMatchObject({ status: "STOPPED", runnable: true, kind: "builtin", sample_rate: 0, filter_string: null, version: 1 });
    expect(byName.py_len).toMatchObject({ runnable: false, kind: "decorator", not_runnable_reason: expect.stringMatching(/Python @scorer/) });
  });

  it("start needs a rate above 0; stop keeps the filter", async () => {
    const zero = await api(s, "POST", `${V}/safety/start`, { experiment_id: exp, sample_rate: 0 }, operator);
    expect(zero.status).toBe(400);
    expect(zero.json).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/must be greater than 0 \(got 0\)/) });
    const started = await api(s, "POST", `${V}/safety/start`, { experiment_id: exp, sample_rate: 1, filter_string: "trace.status = 'OK'" }, operator);
    expect(started.status).toBe(200);
    expect(started.json.scorer).toMatchObject({ status: "STARTED", sample_rate: 1, filter_string: "trace.status = 'OK'" });
    const stopped = await api(s, "POST", `${V}/safety/stop`, { experiment_id: exp }, operator);
    expect(stopped.json.scorer).toMatchObject({ status: "STOPPED", sample_rate: 0, filter_string: "trace.status = 'OK'" });
  });

  it("pause keeps the rate and shows PAUSED with the reason; resume restores it", async () => {
    await api(s, "POST", `${V}/pii/start`, { experiment_id: exp, sample_rate: 0.2 }, operator);
    const paused = await api(s, "POST", `${V}/pii/pause`, { experiment_id: exp, reason: "false positives on order ids" }, operator);
    expect(paused.status).toBe(200);
    expect(paused.json.scorer).toMatchObject({
      status: "PAUSED",
      sample_rate: 0.2,
      paused_reason: "false positives on order ids",
      paused_by: expect.stringMatching(/^token:/),
    });
    // MLflow's view is unchanged: the config keeps its rate.
    const cfg = await get(s, `${S}/online-configs`, { scorer_ids: paused.json.scorer.scorer_id }, viewer);
    expect(cfg.json.configs[0].sample_rate).toBe(0.2);

    const again = await api(s, "POST", `${V}/pii/pause`, { experiment_id: exp }, operator);
    expect(again).toEqual({ status: 409, json: { error_code: "INVALID_STATE", message: "Scorer 'pii' is already paused." } });

    const resumed = await api(s, "POST", `${V}/pii/resume`, { experiment_id: exp }, operator);
    expect(resumed.json.scorer).toMatchObject({ status: "STARTED", sample_rate: 0.2 });
    expect(resumed.json.scorer.paused_reason).toBeUndefined();
    const notPaused = await api(s, "POST", `${V}/pii/resume`, { experiment_id: exp }, operator);
    expect(notPaused.status).toBe(409);
  });

  it.each<[string, () => [string, string, Record<string, unknown>, Record<string, string>], number, string]>([
    ["a viewer cannot pause", () => ["POST", `${V}/pii/pause`, { experiment_id: exp }, viewer], 403, "PERMISSION_DENIED"],
    [
      "a viewer cannot set sampling",
      () => ["PUT", `${S}/online-config`, { experiment_id: exp, name: "pii", sample_rate: 0.5 }, viewer],
      403,
      "PERMISSION_DENIED",
    ],
    [
      "an operator cannot register",
      () => ["POST", `${S}/register`, { experiment_id: exp, name: "x", serialized_scorer: safety }, operator],
      403,
      "PERMISSION_DENIED",
    ],
    ["an operator cannot delete", () => ["DELETE", `${S}/delete`, { experiment_id: exp, name: "pii" }, operator], 403, "PERMISSION_DENIED"],
    [
      "an operator cannot change a running scorer's rate",
      () => ["PUT", `${S}/online-config`, { experiment_id: exp, name: "pii", sample_rate: 0.9 }, operator],
      403,
      "PERMISSION_DENIED",
    ],
    [
      "a token for another experiment cannot pause here",
      () => ["POST", `${V}/pii/pause`, { experiment_id: exp }, otherExperimentOperator],
      403,
      "PERMISSION_DENIED",
    ],
    ["no token, no anonymous access", () => ["GET", `${S}/list?experiment_id=${exp}`, {}, {}], 401, "UNAUTHENTICATED"],
    ["pause of an unknown scorer", () => ["POST", `${V}/ghost/pause`, { experiment_id: exp }, operator], 404, "RESOURCE_DOES_NOT_EXIST"],
    ["pause in an unknown experiment", () => ["POST", `${V}/pii/pause`, { experiment_id: "9999" }, admin], 404, "RESOURCE_DOES_NOT_EXIST"],
    ["pause of a stopped scorer", () => ["POST", `${V}/safety/pause`, { experiment_id: exp }, operator], 409, "INVALID_STATE"],
  ])("%s", async (_, req, status, code) => {
    const [method, path, body, headers] = req();
    const r = await api(s, method, path, method === "GET" ? undefined : body, headers);
    expect(r.status).toBe(status);
    expect(r.json.error_code).toBe(code);
  });

  it("operators start and stop through MLflow's PUT online-config; admins change rates", async () => {
    expect((await putConfig(s, { experiment_id: exp, name: "pii", sample_rate: 0 }, operator)).status).toBe(200);
    expect((await putConfig(s, { experiment_id: exp, name: "pii", sample_rate: 0.3 }, operator)).status).toBe(200);
    const changed = await putConfig(s, { experiment_id: exp, name: "pii", sample_rate: 0.9 }, admin);
    expect(changed.json.config.sample_rate).toBe(0.9);
  });

  it("registering the same name in parallel yields distinct, gapless versions", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => register(s, exp, "dup", safety, admin)));
    expect(results.map((r) => r.json.version).sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("every change through the API is in the audit log with the token's identity; refused ones are not", async () => {
    const pii = (await get(s, V + "/pii", { experiment_id: exp }, viewer)).json.scorer;
    const { entries } = listAuditEntries({ ctx: s.ctx, input: { entity_type: "scorer", entity_id: pii.scorer_id, max_results: 50 } });
    expect(entries.map((e) => e.action).reverse()).toEqual([
      "scorer.register",
      "scorer.start",
      "scorer.pause",
      "scorer.resume",
      "scorer.stop",
      "scorer.start",
      "scorer.update",
    ]);
    expect(new Set(entries.map((e) => e.actor)).size).toBe(2); // the admin and the operator tokens
    expect(entries.every((e) => e.actor.startsWith("token:tok-") && e.experimentId === Number(exp))).toBe(true);
    expect(entries.find((e) => e.action === "scorer.pause")).toMatchObject({
      reason: "false positives on order ids",
      before: { status: "STARTED", sample_rate: 0.2 },
      after: { status: "PAUSED", sample_rate: 0.2 },
    });
    expect(entries.find((e) => e.action === "scorer.update")).toMatchObject({ before: { sample_rate: 0.3 }, after: { sample_rate: 0.9 } });
  });
});
