// Shared test data: realistic traces, a loader that writes them to SQLite the way ingestion
// does (JSON text columns), and filters with the trace ids they must select.
import type { Db } from "@/db/client";
import { assessments, spans, traces } from "@/db/schema";
import type { Assessment, FeedbackValue, SpanData, TraceData, TraceState } from "../types";

const T0 = 1_700_000_000_000;

function span(traceId: string, id: number, name: string, type: string | null, attributes: Record<string, unknown>, parent: number | null = 1): SpanData {
  const hex = (n: number) => n.toString(16).padStart(16, "0");
  return {
    trace_id: traceId,
    span_id: hex(id),
    parent_span_id: parent === null ? null : hex(parent),
    name,
    span_type: type,
    start_time_ns: `${T0 + id}000000`,
    end_time_ns: `${T0 + id + 5}000000`,
    status_code: "STATUS_CODE_OK",
    status_message: "",
    attributes,
    events: [],
  };
}

function assessment(
  traceId: string,
  n: number,
  name: string,
  kind: "feedback" | "expectation",
  value: FeedbackValue | undefined,
  extra: Partial<Assessment> = {},
): Assessment {
  const body = kind === "feedback" ? { feedback: value === undefined ? { error: { error_code: "RATE_LIMIT" } } : { value } } : { expectation: { value } };
  return {
    assessment_id: `a-${traceId.slice(3)}${n}`,
    assessment_name: name,
    trace_id: traceId,
    source: { source_type: kind === "feedback" ? "LLM_JUDGE" : "HUMAN", source_id: "judge" },
    create_time: "2023-11-14T22:13:20Z",
    last_update_time: "2023-11-14T22:13:20Z",
    ...body,
    ...extra,
  };
}

interface Spec {
  id: string;
  state: TraceState;
  name: string | null;
  ts: number;
  exec: number | null;
  client?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  request?: unknown;
  response?: unknown;
  spans: SpanData[];
  assessments?: Assessment[];
}

function trace(s: Spec): TraceData {
  const preview = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v).slice(0, 50));
  return {
    info: {
      trace_id: s.id,
      client_request_id: s.client,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "1" } },
      request_preview: preview(s.request),
      response_preview: preview(s.response),
      request_time: new Date(s.ts).toISOString(),
      state: s.state,
      trace_metadata: s.metadata ?? {},
      tags: s.tags ?? {},
      assessments: s.assessments ?? [],
      timestamp_ms: s.ts,
      execution_time_ms: s.exec,
      end_time_ms: s.exec === null ? null : s.ts + s.exec,
      name: s.name,
      request: s.request,
      response: s.response,
    },
    spans: s.spans,
  };
}

const A = "tr-aaaa";
const B = "tr-bbbb";
const C = "tr-cccc";
const D = "tr-dddd";
const E = "tr-eeee";

export const TRACES: TraceData[] = [
  trace({
    id: A,
    state: "OK",
    name: "chat_agent",
    ts: T0,
    exec: 1840,
    client: "req-prod-001",
    tags: { env: "production", "mlflow.traceName": "chat_agent", "my-key": "x" },
    metadata: { "mlflow.trace.session": "s-1", "mlflow.trace.user": "alice@example.com" },
    request: { messages: [{ role: "user", content: "What is MLflow?" }] },
    response: "MLflow is an open source platform",
    spans: [
      span(A, 1, "chat_agent", "AGENT", { "mlflow.spanType": "AGENT" }, null),
      span(A, 2, "ChatOpenAI", "LLM", { model: "gpt-4o", temperature: 0.7, streaming: true, "similarity.threshold": 0.8 }),
      span(A, 3, "vector_search", "RETRIEVER", { top_k: 5, tags: ["kb", "docs"] }),
    ],
    assessments: [
      assessment(A, 1, "correctness", "feedback", true),
      assessment(A, 2, "relevance", "feedback", "yes"),
      assessment(A, 3, "expected_facts", "expectation", ["MLflow is open source"]),
    ],
  }),
  trace({
    id: B,
    state: "ERROR",
    name: "chat_agent",
    ts: T0 + 1000,
    exec: 12000,
    client: "req-staging-002",
    tags: { env: "staging" },
    metadata: { "mlflow.sourceRun": "run-42" },
    request: { messages: [{ role: "user", content: "Search the web for news" }] },
    response: null,
    spans: [
      span(B, 1, "chat_agent", "AGENT", {}, null),
      span(B, 2, "ChatAnthropic", "LLM", { model: "claude-3-5-sonnet", temperature: 0.2 }),
      span(B, 3, "search_web", "TOOL", { "tool.args": { q: "news" } }),
    ],
    assessments: [
      assessment(B, 1, "correctness", "feedback", false),
      assessment(B, 2, "correctness", "feedback", "yes", { valid: false }),
      assessment(B, 3, "safety", "feedback", undefined),
    ],
  }),
  trace({
    id: C,
    state: "IN_PROGRESS",
    name: null,
    ts: T0 + 2000,
    exec: null,
    spans: [span(C, 2, "llm.generate_response", "LLM", { model: "gpt-4o" })],
  }),
  trace({
    id: D,
    state: "OK",
    name: "ÉCOLE_Report",
    ts: T0 + 3000,
    exec: 300,
    client: "WITH_UNDERSCORES_456",
    tags: { env: "Production", 'a"b': "quoted" },
    metadata: { "mlflow.trace.user": "Bob" },
    request: "quarterly report 90% done",
    response: { answer: "École résumé" },
    spans: [span(D, 1, "Retrieve_Docs", "CHAIN", { "input.value": "quarterly report 90%", "dotted.key.name": "d", 'weird"key': "v" }, null)],
    assessments: [assessment(D, 1, "helpfulness", "feedback", 5), assessment(D, 2, "response_length", "expectation", 150)],
  }),
  trace({
    id: E,
    state: "STATE_UNSPECIFIED",
    name: "batch_job_v2",
    ts: T0 + 4000,
    exec: 300,
    client: "with-dashes-123",
    tags: { constructor: "c" },
    request: null,
    spans: [
      span(E, 1, "step_one", "LLM", { model: "gpt-4o-mini", "mlflow.spanInputs": { prompt: "null safety" } }, null),
      span(E, 2, "step_two", "LLM", { model: "gpt-4o", nothing: null }),
    ],
    assessments: [assessment(E, 1, "quality", "feedback", "high"), assessment(E, 2, "quality", "feedback", "low")],
  }),
];

export const IDS = { A, B, C, D, E } as const;

/** Filters and exactly the traces each must select. */
export const FILTER_CASES: [string, string[]][] = [
  ["", [A, B, C, D, E]],
  ["trace.status = 'OK'", [A, D]],
  ["attributes.status != 'OK'", [B, C, E]],
  ["status IN ('ERROR', 'IN_PROGRESS')", [B, C]],
  ["trace.status NOT IN ('OK')", [B, C, E]],
  [`trace.timestamp_ms >= ${T0 + 2000}`, [C, D, E]],
  [`trace.timestamp < ${T0 + 1000}`, [A]],
  ["trace.execution_time_ms > 1000", [A, B]],
  ["attributes.execution_time = 300", [D, E]],
  ["trace.execution_time_ms != 300", [A, B]],
  [`trace.end_time_ms <= ${T0 + 1840}`, [A]],
  ["trace.execution_time_ms > '1000.5'", [A, B]],
  ["trace.name = 'chat_agent'", [A, B]],
  ["trace.name != 'chat_agent'", [D, E]],
  ["name LIKE '%_v_'", [E]],
  ["trace.name ILIKE 'école%'", []],
  ["trace.name ILIKE 'É%report'", [D]],
  ["trace.name RLIKE '^chat'", [A, B]],
  ["trace.client_request_id LIKE 'req-%'", [A, B]],
  ["trace.client_request_id ILIKE 'with%'", [D, E]],
  ["trace.client_request_id != 'req-prod-001'", [B, D, E]],
  ["trace.request_id IN ('tr-aaaa', 'tr-eeee')", [A, E]],
  ["span.name = 'search_web'", [B]],
  ["span.name != 'chat_agent'", [A, B, C, D, E]],
  ["span.name LIKE 'Chat%'", [A, B]],
  ["span.name RLIKE '^llm\\.'", [C]],
  ["span.type = 'LLM'", [A, B, C, E]],
  ["span.type ILIKE 'chain'", [D]],
  ["span.type NOT IN ('LLM', 'AGENT')", [A, B, D]],
  ["span.type = 'LLM' AND span.name = 'step_two'", [E]],
  ["span.attributes.model = 'gpt-4o'", [A, C, E]],
  ["span.attributes.model LIKE '%gpt-4o%'", [A, C, E]],
  ["span.attributes.model != 'gpt-4o'", [B, E]],
  ["span.attributes.temperature = '0.7'", [A]],
  ["span.attributes.streaming = 'true'", [A]],
  ['span.attributes.tags = \'["kb","docs"]\'', [A]],
  ["span.attributes.`similarity.threshold` LIKE '%0.8%'", [A]],
  ["span.attributes.similarity.threshold = '0.8'", [A]],
  ["span.attributes.`weird\"key` = 'v'", [D]],
  ["span.attributes.nothing LIKE '%'", []],
  ['span.attributes.`tool.args` RLIKE \'"q":\\s*"news"\'', [B]],
  ["tag.env = 'production'", [A]],
  ["tags.env ILIKE 'PRODUCTION'", [A, D]],
  ["tag.env != 'production'", [B, D]],
  ["tag.`mlflow.traceName` = 'chat_agent'", [A]],
  ["tag.`my-key` IS NOT NULL", [A]],
  ["tag.env IS NULL", [C, E]],
  ["tag.constructor = 'c'", [E]],
  ["tag.toString IS NULL", [A, B, C, D, E]],
  ['tag.`a"b` = "quoted"', [D]],
  ["tag.env RLIKE '^(prod|stag)'", [A, B]],
  ["metadata.`mlflow.sourceRun` IS NULL", [A, C, D, E]],
  ["trace.run_id = 'run-42'", [B]],
  ["metadata.`mlflow.trace.user` LIKE '%@example.com'", [A]],
  ["request_metadata.`mlflow.trace.session` IN ('s-1', 's-2')", [A]],
  ["feedback.correctness = 'true'", [A]],
  ["feedback.correctness = 'false'", [B]],
  ["feedback.correctness = 'yes'", []],
  ["feedback.correctness IS NOT NULL", [A, B]],
  ["feedback.safety IS NOT NULL", [B]],
  ["feedback.safety != 'x'", []],
  ["feedback.relevance ILIKE 'YES'", [A]],
  ["feedback.helpfulness = '5'", [D]],
  ["feedback.quality = 'low'", [E]],
  ["feedback.quality != 'low'", [E]],
  ["feedback.quality IS NULL", [A, B, C, D]],
  ["expectation.response_length = '150'", [D]],
  ["expectation.expected_facts LIKE '%open source%'", [A]],
  ["expectation.expected_facts IS NULL", [B, C, D, E]],
  ["feedback.response_length IS NOT NULL", []],
  ["trace.text LIKE '%What is MLflow?%'", [A]],
  ["trace.text LIKE '%90\\%%'", []],
  ["trace.text LIKE '%90%%'", [D]],
  ["trace.text ILIKE '%search_WEB%'", [B]],
  ["trace.text LIKE '%RETRIEVER%'", [A]],
  ["trace.text LIKE '%null%'", [E]],
  ["trace.text LIKE '%résumé%'", [D]],
  ["trace.status = 'OK' AND tag.env = 'production' AND span.type = 'RETRIEVER'", [A]],
  ["trace.status = 'OK' and feedback.helpfulness = '5'", [D]],
];

const jsonOrNull = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The rows ingestion stores for these traces (decoded values as JSON text), for either dialect. */
export function traceRows(data: TraceData[]) {
  const rows = {
    traces: [] as (typeof traces.$inferInsert)[],
    spans: [] as (typeof spans.$inferInsert)[],
    assessments: [] as (typeof assessments.$inferInsert)[],
  };
  for (const t of data) {
    const i = t.info;
    rows.traces.push({
      traceId: i.trace_id,
      experimentId: 1,
      clientRequestId: i.client_request_id ?? null,
      name: i.name,
      requestTime: i.timestamp_ms,
      executionDurationMs: i.execution_time_ms,
      endTimeMs: i.end_time_ms,
      state: i.state,
      requestPreview: i.request_preview ?? null,
      responsePreview: i.response_preview ?? null,
      request: jsonOrNull(i.request),
      response: jsonOrNull(i.response),
      traceMetadata: JSON.stringify(i.trace_metadata),
      tags: JSON.stringify(i.tags),
      lastSpanAt: i.timestamp_ms,
      spanCount: t.spans.length,
    });
    for (const s of t.spans) {
      rows.spans.push({
        traceId: s.trace_id,
        spanId: s.span_id,
        parentSpanId: s.parent_span_id,
        name: s.name,
        spanType: s.span_type,
        startTimeNs: s.start_time_ns,
        endTimeNs: s.end_time_ns,
        startMs: Number(BigInt(s.start_time_ns) / 1_000_000n),
        endMs: s.end_time_ns === null ? null : Number(BigInt(s.end_time_ns) / 1_000_000n),
        statusCode: s.status_code,
        attributes: JSON.stringify(s.attributes),
        events: JSON.stringify(s.events),
      });
    }
    for (const a of i.assessments) {
      const body = a.feedback ?? a.expectation;
      rows.assessments.push({
        assessmentId: a.assessment_id,
        traceId: a.trace_id,
        experimentId: 1,
        name: a.assessment_name,
        sourceType: a.source.source_type,
        sourceId: a.source.source_id,
        kind: a.feedback ? "feedback" : "expectation",
        value: jsonOrNull(body?.value),
        error: a.feedback?.error ? JSON.stringify(a.feedback.error) : null,
        valid: a.valid !== false,
        createTime: Date.parse(a.create_time),
        lastUpdateTime: Date.parse(a.last_update_time),
      });
    }
  }
  return rows;
}

/** Writes traces, spans and assessments as ingestion stores them (decoded values as JSON text). */
export function insertTraces(db: Db, data: TraceData[]): void {
  const rows = traceRows(data);
  for (const r of rows.traces) db.insert(traces).values(r).run();
  for (const r of rows.spans) db.insert(spans).values(r).run();
  for (const r of rows.assessments) db.insert(assessments).values(r).run();
}
