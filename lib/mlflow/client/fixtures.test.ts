// The client against answers shaped exactly as MLflow's protos define them (assessments, scorers,
// experiments, errors; traces in fixtures-traces.test.ts): what is sent, and exactly what comes back.
import { describe, expect, it } from "vitest";
import { MlflowClient } from "./client";
import { MlflowApiError, MlflowInvalidResponseError } from "./errors";
import { clientAnswering, fakeFetch, json, only } from "./fixtures/fake-fetch";
import assessmentError from "./fixtures/assessment-error.json";
import assessment from "./fixtures/assessment.json";
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
    [
      "listScorers",
      scorerList,
      (c: MlflowClient) => c.listScorers("123"),
      "/list",
      { experiment_id: "123" },
      [
        [2, 1748779200123],
        [1, 1748779100000],
      ],
    ],
    [
      "listScorerVersions",
      scorerVersions,
      (c: MlflowClient) => c.listScorerVersions("123", "safety"),
      "/versions",
      { experiment_id: "123", name: "safety" },
      [
        [1, 1748779000000],
        [2, 1748779200123],
      ],
    ],
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
    expect(s).toStrictEqual({
      experiment_id: "123",
      scorer_name: "safety",
      scorer_version: 1,
      serialized_scorer: '{"name": "safety"}',
      creation_time: 1748779000000,
      scorer_id: SCORER_ID,
    });
  });

  // MLflow's server reads a DELETE's fields from its JSON body (handlers._get_request_message), as rest_utils sends them.
  it("deletes with DELETE and a JSON body", async () => {
    const { client, calls } = clientAnswering({});
    await client.deleteScorer("123", "safety", 2);
    const req = only(calls);
    expect([req.method, req.url.pathname, Object.fromEntries(req.url.searchParams), req.body]).toEqual([
      "DELETE",
      "/api/3.0/mlflow/scorers/delete",
      {},
      { experiment_id: "123", name: "safety", version: 2 },
    ]);
  });

  it("reads online configs by repeated scorer_ids", async () => {
    const { client, calls } = clientAnswering(onlineConfigs);
    const configs = await client.getOnlineConfigs([SCORER_ID, "1f0e2d3c4b5a69788796a5b4c3d2e1f0"]);
    expect(only(calls).url.searchParams.getAll("scorer_ids")).toEqual([SCORER_ID, "1f0e2d3c4b5a69788796a5b4c3d2e1f0"]);
    expect(configs).toStrictEqual([
      {
        online_scoring_config_id: "c0ffee00c0ffee00c0ffee00c0ffee00",
        scorer_id: SCORER_ID,
        sample_rate: 0.25,
        filter_string: "trace.status = 'OK'",
        experiment_id: "123",
      },
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
    expect([req.method, req.url.pathname, req.body]).toEqual([
      "PUT",
      "/api/3.0/mlflow/scorers/online-config",
      { experiment_id: "123", name: "safety", sample_rate: 0.5 },
    ]);
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
    expect(r.experiments.map((e) => [e.experiment_id, e.tags])).toEqual([
      ["0", {}],
      ["123", { team: "support" }],
    ]);
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
    // getTrace asks for the trace's info first (as MLflow's client does), which is where a missing trace shows.
    const e = await client.getTrace("tr-missing").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowApiError);
    expect(e).toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST", method: "GET", path: "/api/3.0/mlflow/traces/tr-missing" });
    expect((e as Error).message).toBe(
      "MLflow GET /api/3.0/mlflow/traces/tr-missing answered 404 RESOURCE_DOES_NOT_EXIST: Trace with ID 'tr-missing' not found.",
    );
    only(calls);
  });

  it("names HTTP_<status> when the error body is not MLflow's", async () => {
    const f = fakeFetch(() => new Response("<html>Forbidden</html>", { status: 403 }));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    await expect(client.listScorers("1")).rejects.toMatchObject({
      status: 403,
      errorCode: "HTTP_403",
      message: "MLflow GET /api/3.0/mlflow/scorers/list answered 403 HTTP_403: <html>Forbidden</html>",
    });
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
    // Not retried: each call of the verb went once (getTrace makes two, info then spans).
    expect(new Set(calls.map((c) => c.url.pathname)).size).toBe(calls.length);
  });

  it("refuses a body that is not JSON", async () => {
    const f = fakeFetch(() => new Response("<html>login</html>", { status: 200 }));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    await expect(client.getExperiment("1")).rejects.toMatchObject({
      errorCode: "INVALID_RESPONSE",
      message: "MLflow GET /api/2.0/mlflow/experiments/get answered 200 with an invalid body: is not JSON",
    });
  });

  it("keeps the tracking URI's path prefix and drops its trailing slash", async () => {
    const f = fakeFetch(() => json(200, experimentGet));
    await new MlflowClient({ trackingUri: "https://mlflow.example.com/mlflow/", fetch: f.fetch }).getExperiment("123");
    expect(only(f.calls).url.toString()).toBe("https://mlflow.example.com/mlflow/api/2.0/mlflow/experiments/get?experiment_id=123");
  });
});
