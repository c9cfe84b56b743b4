// mlflow.genai.evaluate(data, scorers=[...]) against Vigil: the REST calls it makes, replayed
// from MLflow's source at a89bed67 (each step cites the function), with its traces carrying
// mlflow.sourceRun and staying out of online scoring.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { makeTrace, pythonGetTrace, pythonLogTrace, type Http } from "../helpers/mlflow-sdks";
import { api, createExperiment } from "./mlflow.helpers";

let s: TestServer;
let h: Http;
let exp: string;

beforeAll(async () => {
  s = await startTestServer();
  h = { base: s.url };
  exp = await createExperiment(s, "evaluate");
});
afterAll(() => s.close());

const ok = async (method: string, path: string, body?: unknown) => {
  const r = await api(s, method, path, body);
  if (r.status !== 200) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
};

describe("mlflow.genai.evaluate replayed", () => {
  it("creates and finishes a run, links and finds its traces, logs metrics; eval traces stay out of monitoring", async () => {
    // A production trace that evaluate receives as data (harness._run_predict links it).
    const prod = makeTrace();
    await pythonLogTrace(h, exp, prod);

    // base._run_harness -> fluent.start_run -> rest_store.create_run
    const created = await ok("POST", "/api/2.0/mlflow/runs/create", {
      experiment_id: exp,
      user_id: "alice",
      start_time: Date.now(),
      tags: [
        { key: "mlflow.user", value: "alice" },
        { key: "mlflow.source.type", value: "LOCAL" },
      ],
    });
    const runId: string = created.run.info.run_id;
    expect(created.run.info).toMatchObject({
      run_uuid: runId,
      experiment_id: exp,
      status: "RUNNING",
      lifecycle_stage: "active",
      artifact_uri: `mlflow-artifacts:/${exp}/${runId}/artifacts`,
    });
    expect(created.run.data.tags).toContainEqual({ key: "mlflow.runName", value: created.run.info.run_name });

    // base._log_dataset_input -> client.log_inputs
    const dataset = { name: "dataset", digest: "0123abcd", source_type: "code", source: "{}", schema: "{}", profile: '{"num_rows": 2}' };
    await ok("POST", "/api/2.0/mlflow/runs/log-inputs", {
      run_id: runId,
      datasets: [{ tags: [{ key: "mlflow.data.context", value: "evaluation" }], dataset }],
    });
    // base._run_harness: MlflowClient().set_tag(run_id, MLFLOW_RUN_TYPE, ...)
    await ok("POST", "/api/2.0/mlflow/runs/set-tag", { run_id: runId, run_uuid: runId, key: "mlflow.runType", value: "genai_evaluate" });
    // harness.run: mlflow.get_run(run_id).info.experiment_id
    expect((await ok("GET", `/api/2.0/mlflow/runs/get?run_id=${runId}&run_uuid=${runId}`)).run.info.experiment_id).toBe(exp);

    // harness._run_predict, static data: create_minimal_trace under the active run
    // (processor/base_mlflow.py _get_basic_trace_metadata sets mlflow.sourceRun).
    const evalTrace = makeTrace({ inputs: { question: "q" }, outputs: "a" });
    await pythonLogTrace(h, exp, evalTrace, { "mlflow.sourceRun": runId });
    // ... and for traces given as data: MlflowClient().link_traces_to_run
    await ok("POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [prod.traceId], run_id: runId });

    // harness._run_score -> _log_assessments -> mlflow.log_assessment
    const root = evalTrace.spans[0]!;
    await ok("POST", `/api/3.0/mlflow/traces/${evalTrace.traceId}/assessments`, {
      assessment: {
        assessment_name: "concise",
        trace_id: evalTrace.traceId,
        span_id: root.spanId,
        source: { source_type: "CODE", source_id: "concise" },
        feedback: { value: true },
        metadata: { "mlflow.assessment.sourceRunId": runId },
      },
    });
    // harness.run -> batch_link_traces_to_run (every evaluated trace, again)
    await ok("POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [evalTrace.traceId, prod.traceId], run_id: runId });
    // harness._refresh_eval_result_traces -> mlflow.get_trace
    const refreshed = await pythonGetTrace(h, evalTrace.traceId);
    expect(refreshed.info.assessments.map((a: { assessment_name: string }) => a.assessment_name)).toEqual(["concise"]);
    // harness.run -> mlflow.log_metrics -> log_batch
    await ok("POST", "/api/2.0/mlflow/runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "concise/mean", value: 1, timestamp: Date.now(), step: 0 }],
      params: [],
      tags: [],
    });
    // harness.run -> mlflow.search_traces(run_id=...) -> TracingClient.search_traces: get_run, then filter attribute.run_id
    await ok("GET", `/api/2.0/mlflow/runs/get?run_id=${runId}`);
    const inRun = await ok("POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }],
      filter: `attribute.run_id = '${runId}'`,
      max_results: 100,
    });
    expect(inRun.traces.map((t: { trace_id: string }) => t.trace_id).sort()).toEqual([evalTrace.traceId, prod.traceId].sort());
    // fluent.end_run -> set_terminated -> update_run
    const ended = await ok("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, run_uuid: runId, status: "FINISHED", end_time: Date.now() });
    expect(ended.run_info.status).toBe("FINISHED");

    const run = (await ok("GET", `/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: "concise/mean", value: 1, step: 0 })]);
    expect(run.data.tags).toContainEqual({ key: "mlflow.runType", value: "genai_evaluate" });
    expect(run.inputs.dataset_inputs).toEqual([{ tags: [{ key: "mlflow.data.context", value: "evaluation" }], dataset }]);

    // MLflow's online scoring selects `metadata.mlflow.sourceRun IS NULL` (scorers/online/constants.py):
    // the evaluation trace is out, the linked production trace stays monitored.
    const monitored = await ok("POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }],
      filter: "metadata.mlflow.sourceRun IS NULL",
    });
    const ids = monitored.traces.map((t: { trace_id: string }) => t.trace_id);
    expect(ids).toContain(prod.traceId);
    expect(ids).not.toContain(evalTrace.traceId);
  });

  it("refuses what MLflow refuses", async () => {
    const runId = (await ok("POST", "/api/2.0/mlflow/runs/create", { experiment_id: exp })).run.info.run_id;
    await ok("POST", "/api/2.0/mlflow/runs/log-parameter", { run_id: runId, key: "model", value: "a" });
    const changed = await api(s, "POST", "/api/2.0/mlflow/runs/log-batch", { run_id: runId, params: [{ key: "model", value: "b" }] });
    expect(changed.status).toBe(400);
    expect(changed.json.message).toMatch(/Changing param values is not allowed/);
    const missing = await api(s, "GET", "/api/2.0/mlflow/runs/get?run_id=0123");
    expect(missing).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    const tooMany = await api(s, "POST", "/api/2.0/mlflow/traces/link-to-run", { run_id: runId, trace_ids: Array.from({ length: 101 }, (_, i) => `tr-${i}`) });
    expect(tooMany.status).toBe(400);
    const noRun = await api(s, "POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [] });
    expect(noRun.status).toBe(400);
    const prompts = await api(s, "POST", "/api/2.0/mlflow/traces/link-prompts", { trace_id: "tr-none", prompt_versions: [{ name: "p", version: "1" }] });
    expect(prompts.status).toBe(404);
  });

  it("accepts link-prompts for a trace that exists", async () => {
    const t = makeTrace();
    await pythonLogTrace(h, exp, t);
    expect(await ok("POST", "/api/2.0/mlflow/traces/link-prompts", { trace_id: t.traceId, prompt_versions: [{ name: "qa", version: "3" }] })).toEqual({});
  });
});
