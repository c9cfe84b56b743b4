import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { assessments } from "@/db/schema";
import { parseConfig, systemActor } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { storeSpans } from "@/lib/ingest";
import { tempDbPath } from "@/tests/helpers/server";
import {
  assessmentFromRow,
  assessmentValueColumns,
  loadTraceData,
  spanToOtelJson,
  traceInfoFromRow,
  type AssessmentRow,
  type SpanRow,
  type TraceRow,
} from "./convert";
import { toAnyValue } from "./convert-spans";
import { parseDuration, parseRfc3339, toDuration, toRfc3339 } from "./proto-json";

describe("protobuf JSON time values", () => {
  it.each([
    [1840, "1.840s"],
    [2000, "2s"],
    [1, "0.001s"],
    [0, "0s"],
    [61_005, "61.005s"],
  ])("prints %i ms as Duration %s and parses it back", (ms, text) => {
    expect(toDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["1.5s", 1500],
    ["0.000001s", 0],
    ["3.0004999s", 3000],
    ["1.840000000s", 1840],
  ])("parses Duration %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "1.5", "s", "1,5s", "1.5 s", "abc"])("refuses Duration %j", (text) => expect(parseDuration(text)).toBeNull());

  it("prints Timestamps as RFC 3339 UTC with milliseconds and parses the variants clients send", () => {
    const ms = Date.UTC(2025, 0, 2, 3, 4, 5, 67);
    expect(toRfc3339(ms)).toBe("2025-01-02T03:04:05.067Z");
    expect(parseRfc3339("2025-01-02T03:04:05.067Z")).toBe(ms);
    expect(parseRfc3339("2025-01-02T03:04:05.067891234Z")).toBe(ms);
    expect(parseRfc3339("2025-01-02T04:04:05.067+01:00")).toBe(ms);
    expect(parseRfc3339("2025-01-02T03:04:05Z")).toBe(ms - 67);
    expect(parseRfc3339("2025-01-02")).toBeNull();
    expect(parseRfc3339("yesterday")).toBeNull();
  });
});

const baseTrace: TraceRow = {
  traceId: "tr-00000000000000000000000000000001",
  experimentId: 3,
  clientRequestId: null,
  name: "agent",
  requestTime: 1_700_000_000_000,
  executionDurationMs: 1840,
  endTimeMs: 1_700_000_001_840,
  state: "OK",
  requestPreview: "hi",
  responsePreview: null,
  request: '{"q":"hi"}',
  response: null,
  traceMetadata: '{"mlflow.trace.user":"u"}',
  tags: '{"n":5}',
  rootSpanId: "0000000000000001",
  completedAt: 1,
  lastSpanAt: 1,
  spanCount: 1,
  completionRecorded: 0,
};

const baseAssessment: AssessmentRow = {
  assessmentId: "a-1",
  traceId: baseTrace.traceId,
  experimentId: 3,
  name: "safety",
  spanId: null,
  sourceType: "LLM_JUDGE",
  sourceId: "judge",
  kind: "feedback",
  value: '"yes"',
  error: null,
  rationale: null,
  metadata: "{}",
  overrides: null,
  valid: true,
  createTime: 1_700_000_000_000,
  lastUpdateTime: 1_700_000_000_500,
  scorerId: null,
  scorerVersion: null,
  runId: null,
};

describe("row to protocol", () => {
  it("turns a trace row into TraceInfoV3, omitting unset optional fields and stringifying map values", () => {
    const info = traceInfoFromRow(baseTrace, [baseAssessment]);
    expect(info).toEqual({
      trace_id: baseTrace.traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "3" } },
      request_time: "2023-11-14T22:13:20.000Z",
      execution_duration: "1.840s",
      state: "OK",
      request_preview: "hi",
      trace_metadata: { "mlflow.trace.user": "u" },
      tags: { n: "5" },
      assessments: [assessmentFromRow(baseAssessment)],
    });
  });

  it.each([
    ["a feedback value", { feedback: { value: { score: 3, labels: ["a"] } } }],
    ["a feedback error", { feedback: { error: { error_code: "TIMEOUT", error_message: "slow" } } }],
    ["an expectation value", { expectation: { value: false } }],
    ["a serialized expectation", { expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: "[1]" } } }],
  ])("round-trips %s through the value columns", (_label, body) => {
    const cols = assessmentValueColumns(body as Parameters<typeof assessmentValueColumns>[0]);
    const a = assessmentFromRow({ ...baseAssessment, ...cols });
    expect({ feedback: a.feedback, expectation: a.expectation }).toEqual({ feedback: undefined, expectation: undefined, ...body });
  });

  it("writes spans as OpenTelemetry protobuf JSON with every attribute decoded, as Span.to_otel_proto does", () => {
    const row: SpanRow = {
      traceId: "tr-0102030405060708090a0b0c0d0e0f10",
      spanId: "1112131415161718",
      parentSpanId: null,
      name: "llm",
      spanType: "LLM",
      kind: 3,
      startTimeNs: "1700000000000000001",
      endTimeNs: null,
      startMs: 0,
      endMs: null,
      statusCode: "STATUS_CODE_ERROR",
      statusMessage: "boom",
      attributes: JSON.stringify({ "mlflow.spanType": "LLM", "mlflow.spanInputs": { a: 1 }, "gen_ai.usage": 1.5, ok: true }),
      events: JSON.stringify([{ name: "exception", time_unix_nano: "1700000000000000002", attributes: { "exception.message": "x" } }]),
    };
    const j = spanToOtelJson(row);
    expect(Buffer.from(j.trace_id, "base64").toString("hex")).toBe("0102030405060708090a0b0c0d0e0f10");
    expect(Buffer.from(j.span_id, "base64").toString("hex")).toBe("1112131415161718");
    expect(j.parent_span_id).toBeUndefined();
    expect(j.end_time_unix_nano).toBeUndefined();
    expect(j.start_time_unix_nano).toBe("1700000000000000001");
    expect(j.kind).toBe("SPAN_KIND_CLIENT");
    expect(j.status).toEqual({ code: "STATUS_CODE_ERROR", message: "boom" });
    expect(j.attributes).toEqual([
      { key: "mlflow.spanType", value: { string_value: "LLM" } },
      { key: "mlflow.spanInputs", value: { kvlist_value: { values: [{ key: "a", value: { int_value: 1 } }] } } },
      { key: "gen_ai.usage", value: { double_value: 1.5 } },
      { key: "ok", value: { bool_value: true } },
      { key: "mlflow.traceRequestId", value: { string_value: row.traceId } },
    ]);
    expect(j.events).toEqual([
      { time_unix_nano: "1700000000000000002", name: "exception", attributes: [{ key: "exception.message", value: { string_value: "x" } }] },
    ]);
  });

  it("maps nested values to OpenTelemetry AnyValue", () => {
    expect(toAnyValue({ a: [1, "x"], b: null })).toEqual({
      kvlist_value: {
        values: [
          { key: "a", value: { array_value: { values: [{ int_value: 1 }, { string_value: "x" }] } } },
          { key: "b", value: {} },
        ],
      },
    });
  });
});

describe("loadTraceData", () => {
  let db: Db;
  let cleanup: () => void;
  beforeAll(() => {
    const tmp = tempDbPath();
    cleanup = tmp.cleanup;
    db = openDb(tmp.file);
    ensureDefaultExperiment(db);
  });
  afterAll(() => {
    db.$client.close();
    cleanup();
  });

  it("reads a stored trace with decoded spans, request/response and assessments", async () => {
    const hex = "abcdefabcdefabcdefabcdefabcdef01";
    const ctx = { db, actor: systemActor, config: parseConfig({}), now: () => 1_000, fetch };
    await storeSpans({
      ctx,
      input: {
        experimentId: 0,
        spans: [
          {
            traceIdHex: hex,
            spanIdHex: "0000000000000abc",
            parentSpanIdHex: null,
            name: "root",
            kind: 1,
            startTimeNs: "1700000000000000000",
            endTimeNs: "1700000000250000000",
            statusCode: "STATUS_CODE_OK",
            statusMessage: "",
            attributes: { "mlflow.spanInputs": '{"question":"why"}', "mlflow.spanOutputs": '"because"', "mlflow.spanType": '"CHAIN"' },
            events: [],
          },
        ],
      },
    });
    db.insert(assessments)
      .values({ ...baseAssessment, traceId: `tr-${hex}`, experimentId: 0 })
      .run();
    const t = loadTraceData(db, `tr-${hex}`);
    expect(t.info).toMatchObject({ timestamp_ms: 1_700_000_000_000, execution_time_ms: 250, end_time_ms: 1_700_000_000_250, name: "root" });
    expect(t.info.request).toEqual({ question: "why" });
    expect(t.info.response).toBe("because");
    expect(t.info.assessments.map((a) => a.assessment_name)).toEqual(["safety"]);
    expect(t.spans).toHaveLength(1);
    expect(t.spans[0]).toMatchObject({ span_type: "CHAIN", attributes: { "mlflow.spanInputs": { question: "why" } } });
    expect(() => loadTraceData(db, "tr-missing")).toThrow(/not found/);
  });
});
