// The client over real HTTP against Vigil's own MLflow-compatible server: what the client reads
// back must equal what the embedded store holds (loadTraceData), so the two implementations of
// the lib interface see the same traces.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTraceData } from "@/lib/mlflow/convert";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "@/tests/helpers/server";
import { MlflowClient } from "./client";
import { MlflowApiError, MlflowUnavailableError } from "./errors";

const TOKEN = "vigil-admin-token-for-client-tests";
const HEX = ["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736", "9c5e2b7a1d3f4e6a8b0c2d4e6f8a0b1c"];
const IDS = HEX.map((h) => `tr-${h}`);
const T0 = Date.UTC(2025, 5, 1, 12);
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const str = (v: unknown) => ({ stringValue: JSON.stringify(v) });

/** OTLP/JSON for one trace: a root AGENT span and an LLM child, MLflow-style attributes. */
function otlpTrace(hex: string, i: number) {
  const start = T0 + i * 60_000;
  const root = `${hex.slice(0, 15)}1`;
  const common = [{ key: "mlflow.traceRequestId", value: str(`tr-${hex}`) }];
  return [
    {
      traceId: hex,
      spanId: root,
      name: "agent",
      kind: 1,
      startTimeUnixNano: ns(start),
      endTimeUnixNano: ns(start + 1840),
      attributes: [
        ...common,
        { key: "mlflow.spanType", value: str("AGENT") },
        { key: "mlflow.spanInputs", value: str({ messages: [{ role: "user", content: `question ${i}` }] }) },
        { key: "mlflow.spanOutputs", value: str(`answer ${i}`) },
        { key: "session.id", value: { stringValue: "s-1" } },
      ],
      status: { code: 1 },
    },
    {
      traceId: hex,
      spanId: `${hex.slice(0, 15)}2`,
      parentSpanId: root,
      name: "ChatOpenAI",
      kind: 3,
      startTimeUnixNano: ns(start + 10),
      endTimeUnixNano: ns(start + 1800),
      attributes: [...common, { key: "mlflow.spanType", value: str("LLM") }, { key: "llm.token_count", value: { intValue: "21" } }],
      events: [{ name: "retry", timeUnixNano: ns(start + 20), attributes: [{ key: "attempt", value: { intValue: "1" } }] }],
      status: { code: 1 },
    },
  ];
}

let server: TestServer;
let client: MlflowClient;
let experimentId: string;
const reachability: boolean[] = [];

beforeAll(async () => {
  server = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none", VIGIL_ADMIN_TOKEN: TOKEN });
  client = new MlflowClient({ trackingUri: `${server.url}/`, token: TOKEN, onReachability: (r) => reachability.push(r.reachable) });
  experimentId = await client.createExperiment("client-roundtrip", { team: "qa" });
  const spans = HEX.flatMap(otlpTrace);
  const r = await fetch(`${server.url}/v1/traces`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
    body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] }),
  });
  if (r.status !== 200) throw new Error(`ingest failed: ${r.status} ${await r.text()}`);
});

afterAll(async () => {
  await server?.close();
});

describe("MlflowClient against Vigil's MLflow REST surface", () => {
  it("experiments: create, get, get-by-name, search", async () => {
    expect(await client.getExperiment(experimentId)).toMatchObject({
      experiment_id: experimentId,
      name: "client-roundtrip",
      lifecycle_stage: "active",
      tags: { team: "qa" },
    });
    expect((await client.getExperimentByName("client-roundtrip"))?.experiment_id).toBe(experimentId);
    expect(await client.getExperimentByName("no-such-experiment")).toBeNull();
    const found = await client.searchExperiments({ filter: "name = 'client-roundtrip'" });
    expect(found.experiments.map((e) => e.experiment_id)).toEqual([experimentId]);
  });

  it("searchTracePages walks every page in order", async () => {
    const pages: string[][] = [];
    for await (const page of client.searchTracePages({ experimentIds: [experimentId], orderBy: ["timestamp_ms ASC"], maxResults: 1 })) {
      pages.push(page.map((t) => t.trace_id));
    }
    expect(pages.flat()).toEqual(IDS);
    expect(pages.every((p) => p.length <= 1)).toBe(true);
    const filtered = await client.searchTraces({ experimentIds: [experimentId], filter: `trace.timestamp_ms >= ${T0 + 60_000}` });
    expect(filtered.traces.map((t) => t.trace_id).sort()).toEqual(IDS.slice(1).sort());
  });

  it("getTrace and getTraceInfo read back exactly what the embedded store holds", async () => {
    const remote = await client.getTrace(IDS[0]!);
    const embedded = loadTraceData(server.db, IDS[0]!);
    expect(remote).toEqual(embedded);
    expect(remote.info).toMatchObject({
      name: "agent",
      timestamp_ms: T0,
      execution_time_ms: 1840,
      end_time_ms: T0 + 1840,
      request: { messages: [{ role: "user", content: "question 0" }] },
      response: "answer 0",
    });
    expect(remote.spans.map((s) => [s.name, s.span_type, s.parent_span_id === null])).toEqual([
      ["agent", "AGENT", true],
      ["ChatOpenAI", "LLM", false],
    ]);
    const { timestamp_ms, execution_time_ms, end_time_ms, name, request, response, ...info } = embedded.info;
    expect(await client.getTraceInfo(IDS[0]!)).toEqual(info);
  });

  it("batchGetTraces answers in the order asked and leaves out unknown ids", async () => {
    const traces = await client.batchGetTraces([IDS[2]!, "tr-00000000000000000000000000000000", IDS[0]!]);
    expect(traces).toEqual([loadTraceData(server.db, IDS[2]!), loadTraceData(server.db, IDS[0]!)]);
  });

  it("assessments: create, get, update (field mask), and the trace shows them", async () => {
    const created = await client.createAssessment({
      trace_id: IDS[1]!,
      assessment_name: "safety",
      source: { source_type: "LLM_JUDGE", source_id: "vigil" },
      feedback: { value: "yes" },
      rationale: "fine",
      metadata: { "vigil.scorer_version": "1" },
    });
    expect(created).toMatchObject({ trace_id: IDS[1], assessment_name: "safety", feedback: { value: "yes" }, rationale: "fine", valid: true });
    expect(await client.getAssessment(IDS[1]!, created.assessment_id)).toEqual(created);
    const updated = await client.updateAssessment(IDS[1]!, created.assessment_id, { feedback: { value: "no" }, rationale: "on reflection" }, [
      "feedback",
      "rationale",
    ]);
    expect(updated).toMatchObject({
      assessment_id: created.assessment_id,
      feedback: { value: "no" },
      rationale: "on reflection",
      metadata: { "vigil.scorer_version": "1" },
    });
    expect((await client.getTrace(IDS[1]!)).info.assessments).toEqual([updated]);
  });

  it("scorers: register versions, list, get, online config, delete", async () => {
    const serialized = serializeBuiltin({ name: "safety", className: "Safety" });
    const v1 = await client.registerScorer({ experimentId, name: "safety", serializedScorer: serialized });
    const v2 = await client.registerScorer({ experimentId, name: "safety", serializedScorer: serialized });
    expect([v1.scorer_version, v2.scorer_version, v1.experiment_id, v1.scorer_name]).toEqual([1, 2, experimentId, "safety"]);
    expect(v2.scorer_id).toBe(v1.scorer_id);
    expect(typeof v1.creation_time).toBe("number");

    expect((await client.listScorers(experimentId)).map((s) => [s.scorer_name, s.scorer_version])).toEqual([["safety", 2]]);
    expect((await client.listScorerVersions(experimentId, "safety")).map((s) => s.scorer_version).sort()).toEqual([1, 2]);
    expect(await client.getScorer(experimentId, "safety", 1)).toEqual(v1);
    expect((await client.getScorer(experimentId, "safety")).scorer_version).toBe(2);

    const config = await client.setOnlineConfig({ experimentId, name: "safety", sampleRate: 0.5, filterString: "trace.status = 'OK'" });
    expect(config).toMatchObject({ scorer_id: v1.scorer_id, sample_rate: 0.5, filter_string: "trace.status = 'OK'" });
    expect(await client.getOnlineConfigs([v1.scorer_id!])).toEqual([config]);
    const cleared = await client.setOnlineConfig({ experimentId, name: "safety", sampleRate: 0, filterString: null });
    expect(cleared.filter_string ?? null).toBeNull();

    await client.deleteScorer(experimentId, "safety", 2);
    expect((await client.listScorerVersions(experimentId, "safety")).map((s) => s.scorer_version)).toEqual([1]);
    await client.deleteScorer(experimentId, "safety");
    await expect(client.getScorer(experimentId, "safety")).rejects.toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("maps Vigil's error bodies to MlflowApiError, without the token", async () => {
    const e = await client.getTraceInfo("tr-missing").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowApiError);
    expect(e).toMatchObject({
      status: 404,
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      message: "MLflow GET /api/3.0/mlflow/traces/tr-missing answered 404 RESOURCE_DOES_NOT_EXIST: Trace with ID 'tr-missing' not found.",
    });
    const wrong = new MlflowClient({ trackingUri: server.url, token: "not-the-right-token-at-all" });
    const denied = await wrong.listScorers(experimentId).catch((x: unknown) => x);
    expect(denied).toMatchObject({ status: 401, errorCode: "UNAUTHENTICATED" });
    expect((denied as Error).message).not.toContain("not-the-right-token-at-all");
    expect(reachability.length).toBeGreaterThan(0);
    expect(reachability.every(Boolean)).toBe(true);
  });

  it("reports a server that is not listening as unreachable, retried, and certainly not applied", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const seen: { reachable: boolean; error?: string }[] = [];
    const down = new MlflowClient({
      trackingUri: `http://127.0.0.1:${port}`,
      maxAttempts: 3,
      minBackoffMs: 1,
      maxBackoffMs: 2,
      onReachability: (r) => seen.push(r),
    });
    const e = await down
      .createAssessment({ trace_id: IDS[0]!, assessment_name: "x", source: { source_type: "CODE", source_id: "" }, feedback: { value: 1 } })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowUnavailableError);
    expect(e).toMatchObject({ attempts: 3, maybeApplied: false });
    expect((e as Error).message).toContain("ECONNREFUSED");
    expect(seen.map((r) => [r.reachable, r.error])).toEqual(Array(3).fill([false, "connection refused (ECONNREFUSED)"]));
  });
});
