// The client against answers shaped exactly as MLflow's protos define them (proto field names,
// int64 as strings or numbers, span ids in base64, unknown extra fields): what is sent, and
// exactly what comes back.
import { describe, expect, it } from "vitest";
import { MlflowClient } from "./client";
import { MlflowApiError, MlflowInvalidResponseError } from "./errors";
import { fakeFetch, json, type SeenRequest } from "./fixtures/fake-fetch";
import assessmentError from "./fixtures/assessment-error.json";
import assessment from "./fixtures/assessment.json";
import batchGet from "./fixtures/batch-get-traces.json";
import notFound from "./fixtures/error-not-found.json";
import experimentGet from "./fixtures/experiment-get.json";
import experimentSearch from "./fixtures/experiment-search.json";
import getTrace from "./fixtures/get-trace.json";
import onlineConfigPut from "./fixtures/online-config-put.json";
import onlineConfigs from "./fixtures/online-configs.json";
import scorerGet from "./fixtures/scorer-get.json";
import scorerList from "./fixtures/scorer-list.json";
import scorerRegister from "./fixtures/scorer-register.json";
import scorerVersions from "./fixtures/scorer-versions.json";
import searchTraces from "./fixtures/search-traces.json";

const T1 = "tr-0af7651916cd43dd8448eb211c80319c";
const T2 = "tr-4bf92f3577b34da6a3ce929d0e0e4736";
const LOC = { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "123" } };

/** A client whose every request is answered with `body` (status 200 unless given). */
function clientAnswering(body: unknown, status = 200) {
  const f = fakeFetch(() => json(status, body));
  return { client: new MlflowClient({ trackingUri: "http://mlflow.test:5000/", fetch: f.fetch, maxAttempts: 1 }), calls: f.calls };
}
const only = (calls: SeenRequest[]) => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};

describe("traces", () => {
  it("searches with locations and a capped max_results, and converts TraceInfoV3 (extra fields stripped, empty maps filled)", async () => {
    const { client, calls } = clientAnswering(searchTraces);
    const page = await client.searchTraces({ experimentIds: ["123"], filter: "trace.status = 'OK'", orderBy: ["timestamp_ms ASC"], maxResults: 1000, pageToken: "p1" });
    const req = only(calls);
    expect([req.method, req.url.pathname]).toEqual(["POST", "/api/3.0/mlflow/traces/search"]);
    expect(req.body).toEqual({ locations: [LOC], filter: "trace.status = 'OK'", order_by: ["timestamp_ms ASC"], max_results: 500, page_token: "p1" });
    expect(page.nextPageToken).toBe("eyJvZmZzZXQiOiAyfQ==");
    expect(page.traces).toStrictEqual([
      {
        trace_id: T1,
        client_request_id: "req-42",
        trace_location: LOC,
        request_preview: '{"messages": [{"role": "user", "content": "What is MLflow?"}]}',
        response_preview: "MLflow is an open source platform.",
        request_time: "2025-06-01T12:00:00.123456Z",
        execution_duration: "1.840s",
        state: "OK",
        trace_metadata: { "mlflow.trace_schema.version": "3", "mlflow.trace.user": "alice", "mlflow.trace.session": "s-1" },
        tags: searchTraces.traces[0]!.tags,
        assessments: [
          {
            assessment_id: "a-6d1e2f",
            assessment_name: "safety",
            trace_id: T1,
            source: { source_type: "LLM_JUDGE", source_id: "databricks" },
            create_time: "2025-06-01T12:00:05.500Z",
            last_update_time: "2025-06-01T12:00:05.500Z",
            feedback: { value: "yes" },
            rationale: "No harmful content.",
            metadata: { "mlflow.assessment.scorerVersion": "1" },
            valid: true,
          },
        ],
      },
      { trace_id: T2, trace_location: LOC, request_time: "2025-06-01T12:01:00Z", state: "IN_PROGRESS", trace_metadata: {}, tags: {}, assessments: [] },
    ]);
  });

  it("gets a trace with base64-id spans and decodes attributes, times and the root's request/response", async () => {
    const { client, calls } = clientAnswering(getTrace);
    const t = await client.getTrace(T1);
    const req = only(calls);
    expect([req.method, req.url.pathname, req.url.searchParams.get("trace_id")]).toEqual(["GET", "/api/3.0/mlflow/traces/get", T1]);
    expect(t.info).toMatchObject({
      trace_id: T1,
      state: "OK",
      timestamp_ms: Date.UTC(2025, 5, 1, 12, 0, 0, 123),
      execution_time_ms: 1840,
      end_time_ms: Date.UTC(2025, 5, 1, 12, 0, 1, 963),
      name: "agent",
      request: { messages: [{ role: "user", content: "What is MLflow?" }] },
      response: "MLflow is an open source platform.",
      assessments: [],
    });
    expect(t.spans).toStrictEqual([
      {
        trace_id: T1,
        span_id: "b7ad6b7169203331",
        parent_span_id: null,
        name: "agent",
        span_type: "AGENT",
        start_time_ns: "1748779200123456789",
        end_time_ns: "1748779201963456789",
        status_code: "STATUS_CODE_OK",
        status_message: "",
        attributes: {
          "mlflow.traceRequestId": T1,
          "mlflow.spanType": "AGENT",
          "mlflow.spanFunctionName": "run_agent",
          "mlflow.spanInputs": { messages: [{ role: "user", content: "What is MLflow?" }] },
          "mlflow.spanOutputs": "MLflow is an open source platform.",
        },
        events: [],
      },
      {
        trace_id: T1,
        span_id: "00f067aa0ba902b7",
        parent_span_id: "b7ad6b7169203331",
        name: "ChatOpenAI",
        span_type: "LLM",
        start_time_ns: "1748779200223456789",
        end_time_ns: "1748779201823456789",
        status_code: "STATUS_CODE_OK",
        status_message: "",
        attributes: {
          "mlflow.spanType": "LLM",
          "mlflow.spanInputs": [{ role: "user", content: "What is MLflow?" }],
          "mlflow.spanOutputs": { choices: [{ message: { role: "assistant", content: "MLflow is an open source platform." } }] },
          "mlflow.chat.tokenUsage": { input_tokens: 12, output_tokens: 9, total_tokens: 21 },
          "gen_ai.request.model": "gpt-4o-mini",
          "llm.token_count": 21,
          "llm.temperature": 0.2,
          "llm.stream": false,
          "llm.stop": ["\n"],
        },
        events: [{ name: "retry", time_unix_nano: "1748779200323456789", attributes: { attempt: 1 } }],
      },
    ]);
  });

  it("batch-gets in the order asked, leaving out unknown ids; hex ids and numeric times are accepted", async () => {
    const { client, calls } = clientAnswering(batchGet);
    const traces = await client.batchGetTraces([T1, "tr-missing", T2, T1]);
    expect(only(calls).url.searchParams.getAll("trace_ids")).toEqual([T1, "tr-missing", T2]);
    expect(traces.map((t) => t.info.trace_id)).toEqual([T1, T2]);
    const [first, second] = traces;
    // No spans: nothing to decode a request or name from.
    expect(first!.info).toMatchObject({ name: null, request: null, response: null, execution_time_ms: 1840, trace_metadata: {}, tags: {} });
    expect(second!.info).toMatchObject({ state: "ERROR", name: "tool_call", request: { city: "Paris" }, response: null, timestamp_ms: Date.UTC(2025, 5, 1, 12, 1), end_time_ms: Date.UTC(2025, 5, 1, 12, 1) + 250 });
    expect(second!.spans).toStrictEqual([
      {
        trace_id: T2,
        span_id: "53995c3f42cd8ad8",
        parent_span_id: null,
        name: "tool_call",
        span_type: "TOOL",
        start_time_ns: "1748779260000000000",
        end_time_ns: "1748779260250000000",
        status_code: "STATUS_CODE_ERROR",
        status_message: "weather API timed out",
        attributes: { "mlflow.spanType": "TOOL", "mlflow.spanInputs": { city: "Paris" } },
        events: [],
      },
    ]);
  });

  it("batch-gets in chunks of 100 ids", async () => {
    const { client, calls } = clientAnswering({ traces: [] });
    const ids = Array.from({ length: 250 }, (_, i) => `tr-${i}`);
    expect(await client.batchGetTraces(ids)).toEqual([]);
    expect(calls.map((c) => c.url.searchParams.getAll("trace_ids").length)).toEqual([100, 100, 50]);
    expect(calls.flatMap((c) => c.url.searchParams.getAll("trace_ids"))).toEqual(ids);
  });

  it("follows next_page_token until it is absent", async () => {
    const pages = [{ traces: searchTraces.traces, next_page_token: "p2" }, { traces: [], next_page_token: "" }];
    const f = fakeFetch((_, n) => json(200, pages[n - 1]));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    const seen: string[][] = [];
    for await (const page of client.searchTracePages({ experimentIds: ["123"], maxResults: 2 })) seen.push(page.map((t) => t.trace_id));
    expect(seen).toEqual([[T1, T2], []]);
    expect(f.calls.map((c) => (c.body as { page_token?: string }).page_token)).toEqual([undefined, "p2"]);
  });
});

describe("assessments", () => {
  it("creates: sends {assessment} to the trace's path and converts the answer", async () => {
    const { client, calls } = clientAnswering(assessment);
    const sent = {
      trace_id: T1,
      assessment_name: "relevance_to_query",
      source: { source_type: "LLM_JUDGE" as const, source_id: "vigil" },
      feedback: { value: "yes" },
      rationale: "The answer addresses the question.",
      metadata: { "vigil.scorer_version": "3", "vigil.sampled": "true" },
    };
    const a = await client.createAssessment(sent);
    const req = only(calls);
    expect([req.method, req.url.pathname, req.body]).toEqual(["POST", `/api/3.0/mlflow/traces/${T1}/assessments`, { assessment: sent }]);
    expect(a).toStrictEqual({
      assessment_id: "a-1b2c3d4e5f",
      assessment_name: "relevance_to_query",
      trace_id: T1,
      source: { source_type: "LLM_JUDGE", source_id: "vigil" },
      create_time: "2025-06-01T12:00:05.500123Z",
      last_update_time: "2025-06-01T12:00:05.500123Z",
      feedback: { value: "yes" },
      rationale: "The answer addresses the question.",
      metadata: { "vigil.scorer_version": "3", "vigil.sampled": "true" },
      valid: true,
    });
  });

  it("gets: the deprecated AI_JUDGE and top-level error are read the current way", async () => {
    const { client, calls } = clientAnswering(assessmentError);
    const a = await client.getAssessment(T1, "a-99");
    expect(only(calls).url.pathname).toBe(`/api/3.0/mlflow/traces/${T1}/assessments/a-99`);
    expect(a).toStrictEqual({
      assessment_id: "a-99",
      assessment_name: "safety",
      trace_id: T1,
      source: { source_type: "LLM_JUDGE", source_id: "gpt-4o-mini" },
      create_time: "2025-06-01T12:00:06Z",
      last_update_time: "2025-06-01T12:00:07Z",
      feedback: { error: { error_code: "RATE_LIMIT_EXCEEDED", error_message: "judge rate limited" } },
      metadata: {},
    });
  });

  it("updates with PATCH and a lowerCamelCase field mask", async () => {
    const { client, calls } = clientAnswering(assessment);
    await client.updateAssessment(T1, "a-1b2c3d4e5f", { feedback: { value: "no" }, assessment_name: "relevance" }, ["feedback", "assessment_name"]);
    const req = only(calls);
    expect([req.method, req.url.pathname]).toEqual(["PATCH", `/api/3.0/mlflow/traces/${T1}/assessments/a-1b2c3d4e5f`]);
    expect(req.body).toEqual({
      assessment: { feedback: { value: "no" }, assessment_name: "relevance", trace_id: T1, assessment_id: "a-1b2c3d4e5f" },
      update_mask: "feedback,assessmentName",
    });
  });
});

const SCORER_ID = "9d2a4c7e0b3f4a1d8e6c5b4a3f2e1d0c";

describe("scorers and online configs", () => {
  it("registers: the flat answer (int64 as a string) becomes a RemoteScorer", async () => {
    const { client, calls } = clientAnswering(scorerRegister);
    const s = await client.registerScorer({ experimentId: "123", name: "safety", serializedScorer: scorerRegister.serialized_scorer });
    expect(only(calls).body).toEqual({ experiment_id: "123", name: "safety", serialized_scorer: scorerRegister.serialized_scorer });
    expect(s).toStrictEqual({
      experiment_id: "123",
      scorer_name: "safety",
      scorer_version: 2,
      serialized_scorer: scorerRegister.serialized_scorer,
      creation_time: 1748779200123,
      scorer_id: SCORER_ID,
    });
  });

  it.each([
    ["listScorers", scorerList, (c: MlflowClient) => c.listScorers("123"), "/list", { experiment_id: "123" }, [[2, 1748779200123], [1, 1748779100000]]],
    ["listScorerVersions", scorerVersions, (c: MlflowClient) => c.listScorerVersions("123", "safety"), "/versions", { experiment_id: "123", name: "safety" }, [[1, 1748779000000], [2, 1748779200123]]],
    ["listScorers (empty answer)", {}, (c: MlflowClient) => c.listScorers("7"), "/list", { experiment_id: "7" }, []],
  ] as const)("%s: int32 experiment ids become strings, int64 strings numbers", async (_, body, call, path, query, versions) => {
    const { client, calls } = clientAnswering(body);
    const scorers = await call(client);
    const req = only(calls);
    expect([req.method, req.url.pathname, Object.fromEntries(req.url.searchParams)]).toEqual(["GET", `/api/3.0/mlflow/scorers${path}`, query]);
    expect(scorers.map((s) => [s.scorer_version, s.creation_time])).toEqual(versions);
    for (const s of scorers) expect(s.experiment_id).toBe("123");
    expect(scorers.every((s) => !("owner" in s))).toBe(true);
  });

  it.each([
    [1, { experiment_id: "123", name: "safety", version: "1" }],
    [undefined, { experiment_id: "123", name: "safety" }],
  ])("gets version %s", async (version, query) => {
    const { client, calls } = clientAnswering(scorerGet);
    const s = await client.getScorer("123", "safety", version);
    expect(Object.fromEntries(only(calls).url.searchParams)).toEqual(query);
    expect(s).toStrictEqual({ experiment_id: "123", scorer_name: "safety", scorer_version: 1, serialized_scorer: '{"name": "safety"}', creation_time: 1748779000000, scorer_id: SCORER_ID });
  });

  it("deletes with DELETE and query parameters", async () => {
    const { client, calls } = clientAnswering({});
    await client.deleteScorer("123", "safety", 2);
    const req = only(calls);
    expect([req.method, req.url.pathname, Object.fromEntries(req.url.searchParams), req.body]).toEqual([
      "DELETE",
      "/api/3.0/mlflow/scorers/delete",
      { experiment_id: "123", name: "safety", version: "2" },
      undefined,
    ]);
  });

  it("reads online configs by repeated scorer_ids", async () => {
    const { client, calls } = clientAnswering(onlineConfigs);
    const configs = await client.getOnlineConfigs([SCORER_ID, "1f0e2d3c4b5a69788796a5b4c3d2e1f0"]);
    expect(only(calls).url.searchParams.getAll("scorer_ids")).toEqual([SCORER_ID, "1f0e2d3c4b5a69788796a5b4c3d2e1f0"]);
    expect(configs).toStrictEqual([
      { online_scoring_config_id: "c0ffee00c0ffee00c0ffee00c0ffee00", scorer_id: SCORER_ID, sample_rate: 0.25, filter_string: "trace.status = 'OK'", experiment_id: "123" },
      { online_scoring_config_id: "decaf000decaf000decaf000decaf000", scorer_id: "1f0e2d3c4b5a69788796a5b4c3d2e1f0", sample_rate: 1 },
    ]);
  });

  it.each([
    ["{config: ...}", onlineConfigPut],
    ["the bare config", onlineConfigPut.config],
  ])("sets an online config answered as %s", async (_, body) => {
    const { client, calls } = clientAnswering(body);
    const c = await client.setOnlineConfig({ experimentId: "123", name: "safety", sampleRate: 0.5, filterString: null });
    const req = only(calls);
    expect([req.method, req.url.pathname, req.body]).toEqual(["PUT", "/api/3.0/mlflow/scorers/online-config", { experiment_id: "123", name: "safety", sample_rate: 0.5 }]);
    expect(c).toStrictEqual({ online_scoring_config_id: "c0ffee00c0ffee00c0ffee00c0ffee00", scorer_id: SCORER_ID, sample_rate: 0.5, experiment_id: "123" });
  });
});

describe("experiments", () => {
  it("gets one: tags list becomes a map, int64 strings numbers, extra fields dropped", async () => {
    const { client, calls } = clientAnswering(experimentGet);
    const e = await client.getExperiment("123");
    expect([only(calls).url.pathname, only(calls).url.search]).toEqual(["/api/2.0/mlflow/experiments/get", "?experiment_id=123"]);
    expect(e).toStrictEqual({
      experiment_id: "123",
      name: "/Users/alice/support-agent",
      lifecycle_stage: "active",
      tags: { "mlflow.note.content": "Production support agent", "mlflow.experimentKind": "genai_development" },
      creation_time: 1748000000000,
      last_update_time: 1748779200123,
    });
  });

  it("searches with a filter and pages", async () => {
    const { client, calls } = clientAnswering(experimentSearch);
    const r = await client.searchExperiments({ filter: "name LIKE '%agent%'", maxResults: 50 });
    expect(only(calls).body).toEqual({ filter: "name LIKE '%agent%'", max_results: 50 });
    expect(r.nextPageToken).toBe("eyJvZmZzZXQiOiAyfQ==");
    expect(r.experiments.map((e) => [e.experiment_id, e.tags])).toEqual([["0", {}], ["123", { team: "support" }]]);
  });

  it("creates with tags as a list of {key, value}", async () => {
    const { client, calls } = clientAnswering({ experiment_id: "456" });
    expect(await client.createExperiment("monitoring", { team: "support" })).toBe("456");
    expect(only(calls).body).toEqual({ name: "monitoring", tags: [{ key: "team", value: "support" }] });
  });

  it("get-by-name answers null for RESOURCE_DOES_NOT_EXIST", async () => {
    const { client, calls } = clientAnswering(notFound, 404);
    expect(await client.getExperimentByName("nope")).toBeNull();
    expect(only(calls).url.searchParams.get("experiment_name")).toBe("nope");
  });
});

describe("errors and invalid answers", () => {
  it("maps an error body to MlflowApiError with MLflow's code and message", async () => {
    const { client, calls } = clientAnswering(notFound, 404);
    const e = await client.getTrace("tr-missing").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowApiError);
    expect(e).toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST", method: "GET", path: "/api/3.0/mlflow/traces/get" });
    expect((e as Error).message).toBe("MLflow GET /api/3.0/mlflow/traces/get answered 404 RESOURCE_DOES_NOT_EXIST: Trace with ID 'tr-missing' not found.");
    only(calls);
  });

  it("names HTTP_<status> when the error body is not MLflow's", async () => {
    const f = fakeFetch(() => new Response("<html>Forbidden</html>", { status: 403 }));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    await expect(client.listScorers("1")).rejects.toMatchObject({ status: 403, errorCode: "HTTP_403", message: "MLflow GET /api/3.0/mlflow/scorers/list answered 403 HTTP_403: <html>Forbidden</html>" });
  });

  const badTime = { traces: [{ ...searchTraces.traces[1], request_time: "yesterday" }] };
  const badSpan = { trace: { ...getTrace.trace, spans: [{ ...getTrace.trace.spans[1], span_id: "not-an-id!" }] } };
  const badRate = { configs: [{ scorer_id: "s", sample_rate: "half" }] };
  it.each([
    ["a bad timestamp", badTime, (c: MlflowClient) => c.searchTraces({ experimentIds: ["1"] }), "traces.0.request_time"],
    ["a bad span id", badSpan, (c: MlflowClient) => c.getTrace(T1), "trace.spans.0.span_id"],
    ["a missing required field", { scorer: { experiment_id: 1 } }, (c: MlflowClient) => c.getScorer("1", "x"), "scorer.scorer_name"],
    ["a string sample rate", badRate, (c: MlflowClient) => c.getOnlineConfigs(["s"]), "configs.0.sample_rate"],
  ] as const)("refuses %s as INVALID_RESPONSE naming the field, without retrying", async (_, body, call, field) => {
    const { client, calls } = clientAnswering(body);
    const e = await call(client).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowInvalidResponseError);
    expect(e).toMatchObject({ errorCode: "INVALID_RESPONSE", field, status: 200 });
    expect((e as Error).message).toContain(`'${field}'`);
    only(calls);
  });

  it("refuses a body that is not JSON", async () => {
    const f = fakeFetch(() => new Response("<html>login</html>", { status: 200 }));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    await expect(client.getExperiment("1")).rejects.toMatchObject({ errorCode: "INVALID_RESPONSE", message: "MLflow GET /api/2.0/mlflow/experiments/get answered 200 with an invalid body: is not JSON" });
  });

  it("keeps the tracking URI's path prefix and drops its trailing slash", async () => {
    const f = fakeFetch(() => json(200, experimentGet));
    await new MlflowClient({ trackingUri: "https://mlflow.example.com/mlflow/", fetch: f.fetch }).getExperiment("123");
    expect(only(f.calls).url.toString()).toBe("https://mlflow.example.com/mlflow/api/2.0/mlflow/experiments/get?experiment_id=123");
  });
});
