// MLflow's Python client and TypeScript SDK against Vigil, as replayed from their source
// (tests/helpers/mlflow-sdks.ts): traces logged by OTLP and by the artifact path land with all
// their spans and read back equal to what was sent, whichever reader asks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spans as spansTable } from "@/db/schema";
import { eq } from "drizzle-orm";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  bySpanId,
  expectedSpans,
  makeTrace,
  pythonGetTrace,
  pythonLogTrace,
  pythonSearchTracesWithSpans,
  pythonTraceDataJson,
  typescriptGetTrace,
  typescriptLogTrace,
  type Http,
} from "../helpers/mlflow-sdks";
import { api, createExperiment } from "./mlflow.helpers";

let s: TestServer;
let h: Http;
let exp: string;

beforeAll(async () => {
  s = await startTestServer();
  h = { base: s.url };
  exp = await createExperiment(s, "sdk-replays");
});
afterAll(() => s.close());

describe("GET /version", () => {
  it("answers a 3.x version >= 3.4 as plain text", async () => {
    const r = await fetch(`${s.url}/version`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await r.text()).toMatch(/^3\.(1[1-9]|[4-9])\.\d+$/);
  });
});

describe("Python client, OTLP path (server >= 3.4)", () => {
  it("logs spans by /v1/traces, start_trace answers TRACKING_STORE, and get_trace / search_traces read them back", async () => {
    const t = makeTrace();
    const logged = await pythonLogTrace(h, exp, t);
    expect(logged.path).toBe("otlp");
    expect(logged.tags["mlflow.artifactLocation"]).toBe(`mlflow-artifacts:/${exp}/traces/${t.traceId}/artifacts`);
    const got = await pythonGetTrace(h, t.traceId);
    expect(got.spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
    const found = (await pythonSearchTracesWithSpans(h, exp)).find((x) => x.info.trace_id === t.traceId)!;
    expect(found.spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
    // The TypeScript reader always downloads traces.json: built from the same stored spans.
    expect((await typescriptGetTrace(h, t.traceId)).spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
  });

  it("a string output that looks like JSON stays a string", async () => {
    const t = makeTrace({ outputs: '{"answer": 42}' });
    await pythonLogTrace(h, exp, t);
    const root = (await pythonGetTrace(h, t.traceId)).spans.find((x) => x.parentId === null)!;
    expect(root.outputs).toBe('{"answer": 42}');
  });
});

describe("Python client, artifact path (no TRACKING_STORE tag)", () => {
  it("PUT traces.json stores the spans; get_trace downloads them equal to what was sent", async () => {
    const t = makeTrace();
    // A client that found no usable /version skips log_spans (rest_store.log_spans raises NotImplementedError).
    const noVersion: Http = { base: s.url, headers: {} };
    const info = (await api(s, "POST", "/api/3.0/mlflow/traces", JSON.parse(startTrace(t)))).json.trace.trace_info;
    expect(info.tags["mlflow.trace.spansLocation"]).toBeUndefined();
    const put = await fetch(`${s.url}/api/2.0/mlflow-artifacts/artifacts/${exp}/traces/${t.traceId}/artifacts/traces.json`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: pythonTraceDataJson(t),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({});
    const got = await pythonGetTrace(noVersion, t.traceId);
    expect(got.spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
    expect(s.db.select().from(spansTable).where(eq(spansTable.traceId, t.traceId)).all()).toHaveLength(2);
    const viaGet = (await api(s, "GET", `/api/3.0/mlflow/traces/get?trace_id=${t.traceId}&allow_partial=True`)).json.trace;
    const rootAttr = viaGet.spans.find((x: any) => !x.parent_span_id).attributes.find((a: any) => a.key === "mlflow.spanType");
    expect(rootAttr.value).toEqual({ string_value: "CHAIN" });
  });
});

describe("TypeScript SDK (always the artifact path)", () => {
  it("createTrace + uploadTraceData land all spans; MlflowClient.getTrace and Python's readers read them back", async () => {
    const t = makeTrace();
    await typescriptLogTrace(h, exp, t);
    expect((await typescriptGetTrace(h, t.traceId)).spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
    expect((await pythonGetTrace(h, t.traceId)).spans.sort(bySpanId)).toEqual(expectedSpans(t).sort(bySpanId));
    const row = (await api(s, "GET", `/api/3.0/mlflow/traces/${t.traceId}`)).json.trace.trace_info;
    expect(row.request_preview).toContain("What is MLflow?");
  });
});

function startTrace(t: ReturnType<typeof makeTrace>): string {
  const root = t.spans[0]!;
  return JSON.stringify({
    trace: {
      trace_info: {
        trace_id: t.traceId,
        trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
        request_time: new Date(Number(root.startNs / 1_000_000n)).toISOString(),
        execution_duration: "0.900s",
        state: "OK",
        trace_metadata: {},
        tags: {},
      },
    },
  });
}

describe("bad trace data: 4xx in MLflow's error shape, nothing stored", () => {
  const put = (path: string, body: string) =>
    fetch(`${s.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body }).then(async (r) => ({
      status: r.status,
      json: await r.json(),
    }));
  let t: ReturnType<typeof makeTrace>;
  let other: string;
  beforeAll(async () => {
    t = makeTrace();
    await api(s, "POST", "/api/3.0/mlflow/traces", JSON.parse(startTrace(t)));
    other = await createExperiment(s, "sdk-replays-other");
  });
  const stored = () => s.db.select().from(spansTable).where(eq(spansTable.traceId, t.traceId)).all().length;

  it.each([
    ["JSON that does not parse", () => `${exp}/traces/${t.traceId}/artifacts/traces.json`, () => '{"spans": [', 400, /not valid JSON/],
    ["no spans list", () => `${exp}/traces/${t.traceId}/artifacts/traces.json`, () => "{}", 400, /"spans" list/],
    [
      "a span of another trace",
      () => `${exp}/traces/${t.traceId}/artifacts/traces.json`,
      () => pythonTraceDataJson({ ...makeTrace(), traceId: "tr-" + "ab".repeat(16) }),
      400,
      /belongs to trace/,
    ],
    [
      "the trace under another experiment's path",
      () => `${other}/traces/${t.traceId}/artifacts/traces.json`,
      () => pythonTraceDataJson(t),
      400,
      /belongs to experiment/,
    ],
    ["a path outside traces/<id>/artifacts", () => `${exp}/runs/x/artifacts/traces.json`, () => pythonTraceDataJson(t), 400, /outside a trace's artifacts/],
    ["a traversal", () => `${exp}/traces/${t.traceId}/artifacts/a%2F..%2Ftraces.json`, () => pythonTraceDataJson(t), 400, /without '\.' or '\.\.'/],
    ["another file of the trace", () => `${exp}/traces/${t.traceId}/artifacts/attachments/a.png`, () => "x", 400, /not kept/],
  ])("%s", async (_l, path, body, status, message) => {
    const r = await put(path(), body());
    expect(r.status).toBe(status);
    expect(r.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.json.message).toMatch(message);
    expect(stored()).toBe(0);
  });

  it("one invalid span refuses the whole upload", async () => {
    const doc = JSON.parse(pythonTraceDataJson(t).replace(/"end_time_unix_nano": (\d+)/, '"end_time_unix_nano": 5'));
    const r = await put(`${exp}/traces/${t.traceId}/artifacts/traces.json`, JSON.stringify(doc));
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/end time is before start time/);
    expect(stored()).toBe(0);
  });

  it("an oversized upload is refused with 413", async () => {
    const small = await startTestServer({ VIGIL_MAX_BODY_BYTES: "2048" });
    try {
      const id = await createExperiment(small, "big");
      const big = makeTrace({ inputs: { text: "x".repeat(4000) } });
      const r = await fetch(`${small.url}/api/2.0/mlflow-artifacts/artifacts/${id}/traces/${big.traceId}/artifacts/traces.json`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: pythonTraceDataJson(big),
      });
      expect(r.status).toBe(413);
      expect((await r.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
      // Nothing half-stored: no span of it, and no trace row either (it was never started).
      expect(small.db.select().from(spansTable).where(eq(spansTable.traceId, big.traceId)).all()).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it("a trace that was never started is 404", async () => {
    const n = makeTrace();
    const r = await put(`${exp}/traces/${n.traceId}/artifacts/traces.json`, pythonTraceDataJson(n));
    expect(r.status).toBe(404);
    expect(r.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});

describe("query-string booleans, batchGetInfos, experiment tags", () => {
  it("allow_partial in any case; a non-boolean is refused", async () => {
    const t = makeTrace();
    await pythonLogTrace(h, exp, t);
    for (const v of ["True", "False", "true", "FALSE"]) {
      expect((await api(s, "GET", `/api/3.0/mlflow/traces/get?trace_id=${t.traceId}&allow_partial=${v}`)).status).toBe(200);
    }
    expect((await api(s, "GET", `/api/3.0/mlflow/traces/get?trace_id=${t.traceId}&allow_partial=maybe`)).status).toBe(400);
  });

  it("batchGetInfos answers infos in the order asked and leaves unknown ids out", async () => {
    const a = makeTrace();
    const b = makeTrace();
    await pythonLogTrace(h, exp, a);
    await pythonLogTrace(h, exp, b);
    const r = await api(s, "POST", "/api/3.0/mlflow/traces/batchGetInfos", { trace_ids: [b.traceId, "tr-missing", a.traceId] });
    expect(r.status).toBe(200);
    expect(r.json.trace_infos.map((i: any) => i.trace_id)).toEqual([b.traceId, a.traceId]);
    expect(r.json.trace_infos[0].tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
  });

  it("set-experiment-tag and delete-experiment-tag", async () => {
    expect((await api(s, "POST", "/api/2.0/mlflow/experiments/set-experiment-tag", { experiment_id: exp, key: "team", value: "search" })).json).toEqual({});
    let e = (await api(s, "GET", `/api/2.0/mlflow/experiments/get?experiment_id=${exp}`)).json.experiment;
    expect(e.tags).toContainEqual({ key: "team", value: "search" });
    expect(e.artifact_location).toBe(`mlflow-artifacts:/${exp}`);
    expect((await api(s, "POST", "/api/2.0/mlflow/experiments/delete-experiment-tag", { experiment_id: exp, key: "team" })).json).toEqual({});
    e = (await api(s, "GET", `/api/2.0/mlflow/experiments/get?experiment_id=${exp}`)).json.experiment;
    expect(e.tags.find((x: any) => x.key === "team")).toBeUndefined();
    const missing = await api(s, "POST", "/api/2.0/mlflow/experiments/delete-experiment-tag", { experiment_id: exp, key: "team" });
    expect(missing.status).toBe(404);
    expect(missing.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await api(s, "POST", "/api/2.0/mlflow/experiments/set-experiment-tag", { experiment_id: exp, key: "" })).status).toBe(400);
  });
});
