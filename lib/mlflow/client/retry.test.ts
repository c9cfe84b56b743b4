// Retries, backoff, timeouts, the exactly-once rule for creates, reachability reports and auth,
// through an injected fetch with tiny backoffs.
import { describe, expect, it } from "vitest";
import { MlflowClient, type AssessmentCreate } from "./client";
import { MlflowApiError, MlflowUnavailableError } from "./errors";
import type { MlflowClientOptions } from "./http";
import { fakeFetch, json, netError, type Answer } from "./fixtures/fake-fetch";
import assessment from "./fixtures/assessment.json";
import experimentGet from "./fixtures/experiment-get.json";
import onlineConfigPut from "./fixtures/online-config-put.json";

const TOKEN = "s3cr3t-token-value";
const PASSWORD = "hunter2-password";
const ok = () => json(200, experimentGet);
const created = () => json(200, assessment);
const a: AssessmentCreate = { trace_id: "tr-1", assessment_name: "safety", source: { source_type: "CODE", source_id: "vigil" }, feedback: { value: true } };

/** A client over a scripted sequence of answers; the last one repeats. */
function scripted(answers: (() => Answer)[], o: Partial<MlflowClientOptions> = {}) {
  const reports: { reachable: boolean; error?: string; at: number }[] = [];
  const f = fakeFetch((_, n) => answers[Math.min(n, answers.length) - 1]!());
  const client = new MlflowClient({
    trackingUri: "http://mlflow.test",
    fetch: f.fetch,
    minBackoffMs: 1,
    maxBackoffMs: 5,
    random: () => 0,
    now: () => 1234,
    onReachability: (r) => reports.push(r),
    ...o,
  });
  return { client, calls: f.calls, reports };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );

describe("reads retry every transient failure", () => {
  it("500 then 200: succeeds on the second attempt", async () => {
    const { client, calls, reports } = scripted([() => json(500, { error_code: "INTERNAL_ERROR", message: "db down" }), ok]);
    expect((await client.getExperiment("123")).experiment_id).toBe("123");
    expect(calls).toHaveLength(2);
    expect(reports).toEqual([
      { reachable: false, error: "answered 500 INTERNAL_ERROR: db down", at: 1234 },
      { reachable: true, at: 1234 },
    ]);
  });

  it("ECONNRESET on a GET is retried", async () => {
    const { client, calls } = scripted([() => netError("ECONNRESET"), ok]);
    await client.getExperiment("123");
    expect(calls).toHaveLength(2);
  });

  it("429 waits for Retry-After before trying again", async () => {
    const { client, calls } = scripted([() => json(429, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }, { "retry-after": "0.3" }), ok], {
      maxBackoffMs: 10_000,
    });
    const started = performance.now();
    await client.getExperiment("123");
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls).toHaveLength(2);
  });

  it("caps a long Retry-After at maxBackoffMs", async () => {
    const { client, calls } = scripted([() => json(429, {}, { "retry-after": "3600" }), ok], { maxBackoffMs: 20 });
    const started = performance.now();
    await client.getExperiment("123");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(calls).toHaveLength(2);
  });

  it("500 every time: MlflowUnavailableError after maxAttempts, nothing applied", async () => {
    const { client, calls } = scripted([() => json(500, { error_code: "INTERNAL_ERROR", message: "db down" })], { maxAttempts: 4 });
    const e = await failure(client.getExperiment("123"));
    expect(e).toBeInstanceOf(MlflowUnavailableError);
    expect(e).toMatchObject({ attempts: 4, lastStatus: 500, maybeApplied: false, method: "GET", path: "/api/2.0/mlflow/experiments/get" });
    expect((e as Error).message).toBe("MLflow GET /api/2.0/mlflow/experiments/get is unavailable after 4 attempts: answered 500 INTERNAL_ERROR: db down");
    expect(calls).toHaveLength(4);
  });

  it("a request that never answers times out per attempt, is retried, then reported", async () => {
    const { client, calls, reports } = scripted([() => "hang"], { timeoutMs: 30, maxAttempts: 3 });
    const e = await failure(client.getExperiment("123"));
    expect(e).toBeInstanceOf(MlflowUnavailableError);
    expect(e).toMatchObject({
      attempts: 3,
      maybeApplied: false,
      message: "MLflow GET /api/2.0/mlflow/experiments/get is unavailable after 3 attempts: no answer within 30 ms",
    });
    expect((e as MlflowUnavailableError).lastStatus).toBeUndefined();
    expect(calls).toHaveLength(3);
    expect(reports.map((r) => r.reachable)).toEqual([false, false, false]);
  });

  it("404 is an answer: MlflowApiError at once, no retry, MLflow reachable", async () => {
    const { client, calls, reports } = scripted([() => json(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "No Experiment with id=9 exists" })]);
    const e = await failure(client.getExperiment("9"));
    expect(e).toBeInstanceOf(MlflowApiError);
    expect(e).toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST" });
    expect(calls).toHaveLength(1);
    expect(reports).toEqual([{ reachable: true, at: 1234 }]);
  });

  it("an idempotent write (PUT) is retried on 5xx, and then says it may have been applied", async () => {
    const { client, calls } = scripted([() => json(502, {}), () => json(502, {})], { maxAttempts: 2 });
    const e = await failure(client.setOnlineConfig({ experimentId: "1", name: "s", sampleRate: 0.5 }));
    expect(e).toMatchObject({ attempts: 2, lastStatus: 502, maybeApplied: true });
    expect(calls).toHaveLength(2);
  });

  it("an idempotent write succeeds after a reset", async () => {
    const { client, calls } = scripted([() => netError("ECONNRESET"), () => json(200, onlineConfigPut)]);
    expect((await client.setOnlineConfig({ experimentId: "123", name: "safety", sampleRate: 0.5 })).sample_rate).toBe(0.5);
    expect(calls).toHaveLength(2);
  });
});

describe("creates are retried only when certainly not applied", () => {
  it.each<[string, () => Answer]>([
    ["500", () => json(500, { error_code: "INTERNAL_ERROR", message: "oops" })],
    ["503", () => json(503, {})],
    ["ECONNRESET", () => netError("ECONNRESET")],
    ["an uncoded network error", () => new TypeError("fetch failed")],
  ])("%s: one attempt, then MlflowUnavailableError with maybeApplied", async (_, answer) => {
    const { client, calls } = scripted([answer, created]);
    const e = await failure(client.createAssessment(a));
    expect(e).toBeInstanceOf(MlflowUnavailableError);
    expect(e).toMatchObject({ attempts: 1, maybeApplied: true });
    expect((e as Error).message).toContain("(the request may have been applied)");
    expect(calls).toHaveLength(1);
  });

  it("a timeout: one attempt, maybeApplied", async () => {
    const { client, calls } = scripted([() => "hang", created], { timeoutMs: 20 });
    await expect(client.createAssessment(a)).rejects.toMatchObject({ attempts: 1, maybeApplied: true });
    expect(calls).toHaveLength(1);
  });

  it.each<[string, () => Answer]>([
    ["429", () => json(429, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" })],
    ["ECONNREFUSED", () => netError("ECONNREFUSED")],
  ])("%s is retried: the server did nothing", async (_, answer) => {
    const { client, calls } = scripted([answer, answer, created]);
    expect((await client.createAssessment(a)).assessment_id).toBe("a-1b2c3d4e5f");
    expect(calls).toHaveLength(3);
  });

  it("refused every time: unavailable, and certainly not applied", async () => {
    const { client, calls } = scripted([() => netError("ECONNREFUSED")], { maxAttempts: 3 });
    const e = await failure(client.registerScorer({ experimentId: "1", name: "s", serializedScorer: "{}" }));
    expect(e).toMatchObject({
      attempts: 3,
      maybeApplied: false,
      message: "MLflow POST /api/3.0/mlflow/scorers/register is unavailable after 3 attempts: connection refused (ECONNREFUSED)",
    });
    expect(calls).toHaveLength(3);
  });

  it("a refused attempt then a reset: the reset may have applied it", async () => {
    const { client, calls } = scripted([() => netError("ECONNREFUSED"), () => netError("ECONNRESET"), created]);
    await expect(client.createExperiment("x")).rejects.toMatchObject({ attempts: 2, maybeApplied: true });
    expect(calls).toHaveLength(2);
  });
});

describe("cancellation", () => {
  it("aborting during a backoff wait ends the call with the caller's reason, without another attempt", async () => {
    const controller = new AbortController();
    const { client, calls } = scripted([() => json(503, {})], { signal: controller.signal, minBackoffMs: 60_000, maxBackoffMs: 60_000 });
    const p = failure(client.getExperiment("1"));
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    expect(await p).toMatchObject({ message: "shutting down" });
    expect(calls).toHaveLength(1);
  });

  it("aborting a hanging request ends it at once, not as a timeout", async () => {
    const controller = new AbortController();
    const { client, calls, reports } = scripted([() => "hang"], { signal: controller.signal });
    const p = failure(client.getExperiment("1"));
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    expect(await p).toMatchObject({ message: "shutting down" });
    expect(calls).toHaveLength(1);
    expect(reports).toEqual([]);
  });
});

describe("auth headers and secrets", () => {
  it.each<[string, Partial<MlflowClientOptions>, string | undefined]>([
    ["a token as Bearer", { token: TOKEN }, `Bearer ${TOKEN}`],
    ["username and password as Basic", { username: "alice", password: PASSWORD }, `Basic ${Buffer.from(`alice:${PASSWORD}`).toString("base64")}`],
    ["the token winning over a password", { token: TOKEN, username: "alice", password: PASSWORD }, `Bearer ${TOKEN}`],
    [
      "credentials in the tracking URI as Basic",
      { trackingUri: `https://alice:${PASSWORD}@mlflow.test/prefix` },
      `Basic ${Buffer.from(`alice:${PASSWORD}`).toString("base64")}`,
    ],
    ["nothing", {}, undefined],
  ])("sends %s", async (_, o, header) => {
    const { client, calls } = scripted([ok], o);
    await client.getExperiment("123");
    expect(calls[0]!.headers.authorization).toBe(header);
    expect(calls[0]!.url.username + calls[0]!.url.password).toBe("");
  });

  it.each<[string, Partial<MlflowClientOptions>, () => Answer, string]>([
    ["an API error echoing the token", { token: TOKEN }, () => json(401, { error_code: "UNAUTHENTICATED", message: `Invalid token ${TOKEN}` }), TOKEN],
    ["a network error naming the password", { username: "alice", password: PASSWORD }, () => new TypeError(`fetch failed with ${PASSWORD}`), PASSWORD],
    ["a 5xx page showing the Authorization header", { token: TOKEN }, () => new Response(`<pre>Authorization: Bearer ${TOKEN}</pre>`, { status: 502 }), TOKEN],
  ])("never puts the secret in an error: %s", async (_, o, answer, secret) => {
    const { client, reports } = scripted([answer], { ...o, maxAttempts: 2 });
    const e = (await failure(client.getExperiment("1"))) as Error;
    expect(e.message).toContain("***");
    expect(e.message).not.toContain(secret);
    expect(JSON.stringify(e)).not.toContain(secret);
    expect(JSON.stringify(reports)).not.toContain(secret);
  });
});
