// The trace calls against answers shaped exactly as MLflow's protos define them: TraceInfoV3
// with unknown extra fields, spans with base64 ids and fixed64 times as strings, next_page_token.
import { describe, expect, it } from "vitest";
import { MlflowClient } from "./client";
import { clientAnswering, fakeFetch, json, only } from "./fixtures/fake-fetch";
import batchGet from "./fixtures/batch-get-traces.json";
import getTrace from "./fixtures/get-trace.json";
import searchTraces from "./fixtures/search-traces.json";

const T1 = "tr-0af7651916cd43dd8448eb211c80319c";
const T2 = "tr-4bf92f3577b34da6a3ce929d0e0e4736";
const LOC = { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "123" } };

describe("traces", () => {
  it("searches with locations and a capped max_results, and converts TraceInfoV3 (extra fields stripped, empty maps filled)", async () => {
    const { client, calls } = clientAnswering(searchTraces);
    const page = await client.searchTraces({
      experimentIds: ["123"],
      filter: "trace.status = 'OK'",
      orderBy: ["timestamp_ms ASC"],
      maxResults: 1000,
      pageToken: "p1",
    });
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
    // As MLflow's client get_trace: the info first, then traces/get for spans in the tracking store.
    expect(calls.map((c) => [c.method, c.url.pathname, c.url.searchParams.get("trace_id")])).toEqual([
      ["GET", `/api/3.0/mlflow/traces/${T1}`, null],
      ["GET", "/api/3.0/mlflow/traces/get", T1],
    ]);
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
    // tracing/client.py batch_get_traces: batchGetInfos first, then batchGet for TRACKING_STORE traces.
    const known = new Set([T1, T2]);
    const f = fakeFetch((req) =>
      req.url.pathname.endsWith("/batchGetInfos")
        ? json(200, {
            trace_infos: (req.body as { trace_ids: string[] }).trace_ids
              .filter((id) => known.has(id))
              .map((trace_id) => ({
                trace_id,
                trace_location: LOC,
                request_time: "2025-06-01T12:00:00Z",
                state: "OK",
                tags: { "mlflow.trace.spansLocation": "TRACKING_STORE" },
              })),
          })
        : json(200, batchGet),
    );
    const calls = f.calls;
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    const traces = await client.batchGetTraces([T1, "tr-missing", T2, T1]);
    expect(calls.map((c) => c.url.pathname)).toEqual(["/api/3.0/mlflow/traces/batchGetInfos", "/api/3.0/mlflow/traces/batchGet"]);
    expect(calls[0]!.body).toEqual({ trace_ids: [T1, "tr-missing", T2] });
    expect(calls[1]!.url.searchParams.getAll("trace_ids")).toEqual([T1, T2]);
    expect(traces.map((t) => t.info.trace_id)).toEqual([T1, T2]);
    const [first, second] = traces;
    // No spans: nothing to decode a request or name from.
    expect(first!.info).toMatchObject({ name: null, request: null, response: null, execution_time_ms: 1840, trace_metadata: {}, tags: {} });
    expect(second!.info).toMatchObject({
      state: "ERROR",
      name: "tool_call",
      request: { city: "Paris" },
      response: null,
      timestamp_ms: Date.UTC(2025, 5, 1, 12, 1),
      end_time_ms: Date.UTC(2025, 5, 1, 12, 1) + 250,
    });
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
    const { client, calls } = clientAnswering({ trace_infos: [] });
    const ids = Array.from({ length: 250 }, (_, i) => `tr-${i}`);
    expect(await client.batchGetTraces(ids)).toEqual([]);
    expect(calls.map((c) => (c.body as { trace_ids: string[] }).trace_ids.length)).toEqual([100, 100, 50]);
    expect(calls.flatMap((c) => (c.body as { trace_ids: string[] }).trace_ids)).toEqual(ids);
  });

  it("follows next_page_token until it is absent", async () => {
    const pages = [
      { traces: searchTraces.traces, next_page_token: "p2" },
      { traces: [], next_page_token: "" },
    ];
    const f = fakeFetch((_, n) => json(200, pages[n - 1]));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch });
    const seen: string[][] = [];
    for await (const page of client.searchTracePages({ experimentIds: ["123"], maxResults: 2 })) seen.push(page.map((t) => t.trace_id));
    expect(seen).toEqual([[T1, T2], []]);
    expect(f.calls.map((c) => (c.body as { page_token?: string }).page_token)).toEqual([undefined, "p2"]);
  });
});

describe("nanoseconds printed as JSON numbers (MLflow's message_to_json)", () => {
  it("keeps span times exact beyond a double's range", async () => {
    const body = `{"trace": {"trace_info": {"trace_id": "tr-0af7651916cd43dd8448eb211c80319c", "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "1"}}, "request_time": "2025-06-01T12:00:00.123Z", "state": "OK", "tags": {"mlflow.trace.spansLocation": "TRACKING_STORE"}},
      "spans": [{"span_id": "AAAAAAAAAAE=", "name": "root", "start_time_unix_nano": 1748779200123456789, "end_time_unix_nano": 1748779201123456791,
      "attributes": [{"key": "n", "value": {"int_value": 9007199254740993}}, {"key": "label", "value": {"string_value": "12345678901234567890"}}], "status": {"code": "STATUS_CODE_OK"}}]}}`;
    const f = fakeFetch(() => new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    const client = new MlflowClient({ trackingUri: "http://mlflow.test", fetch: f.fetch, maxAttempts: 1 });
    const t = await client.getTrace("tr-0af7651916cd43dd8448eb211c80319c");
    expect(t.spans[0]).toMatchObject({ start_time_ns: "1748779200123456789", end_time_ns: "1748779201123456791" });
    // A string that happens to hold digits stays the string it was.
    expect(t.spans[0]!.attributes.label).toBe("12345678901234567890");
  });
});
