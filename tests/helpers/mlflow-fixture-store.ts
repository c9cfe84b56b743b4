// The MLflow fixture's state and its JSON, shaped by MLflow's source (upstream a89bed67), not by
// Vigil's answers: TraceInfo.to_proto (entities/trace_info.py) printed by protobuf's JSON printer
// with proto field names (Timestamp/Duration strings, empty maps and lists left out); spans of
// /traces/get and batchGet as Span.to_otel_proto writes them (entities/span.py: base64 ids,
// fixed64 times as strings, decoded attribute values as AnyValues, tracing/utils/otlp.py
// _set_otel_proto_anyvalue); traces.json as Span.to_dict writes it (Python: raw OTel attributes,
// i.e. JSON text) or as the TypeScript SDK's Span.toJson does (decoded values, and a trace_id
// made from the "tr-..." request id, not the OTel id).
import { randomBytes, randomUUID } from "node:crypto";

export type SpansIn = "tracking_store" | "artifact_python" | "artifact_ts";

export interface FxSpan {
  spanIdHex: string;
  parentHex: string | null;
  name: string;
  startNs: bigint;
  endNs: bigint | null;
  status: "STATUS_CODE_UNSET" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
  message: string;
  /** Decoded values, as MLflow's Span.attributes gives them. */
  attributes: Record<string, unknown>;
  events: { name: string; timeNs: bigint; attributes: Record<string, unknown> }[];
}

export interface FxAssessment {
  assessment_id: string;
  assessment_name: string;
  trace_id: string;
  source: { source_type: string; source_id?: string };
  create_ms: number;
  update_ms: number;
  feedback?: { value?: unknown; error?: Record<string, unknown> };
  expectation?: { value?: unknown };
  rationale?: string;
  metadata: Record<string, string>;
  span_id?: string;
  valid: boolean;
  /** The assessment of the same trace this one replaced (then valid = false). */
  overrides?: string;
}

export interface FxTrace {
  traceId: string;
  otelHex: string;
  experimentId: string;
  requestMs: number;
  executionMs: number | null;
  state: "OK" | "ERROR" | "IN_PROGRESS";
  requestPreview: string;
  responsePreview: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  /** Spans in the tracking store (tag mlflow.trace.spansLocation = TRACKING_STORE), or null. */
  spans: FxSpan[] | null;
  assessments: FxAssessment[];
}

export interface FxExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: "active" | "deleted";
  tags: Record<string, string>;
  creation_time: number;
  last_update_time: number;
}

export interface FxScorer {
  scorer_id: string;
  experiment_id: string;
  name: string;
  versions: { version: number; serialized: string; creation_time: number }[];
  config: { online_scoring_config_id: string; sample_rate: number; filter_string: string | null } | null;
}

export class FxState {
  experiments: FxExperiment[] = [];
  traces = new Map<string, FxTrace>();
  /** Artifact proxy files by path after "mlflow-artifacts:/" (as the artifact repo keeps them). */
  artifacts = new Map<string, string>();
  scorers: FxScorer[] = [];
  nextExperimentId = 0;

  constructor(readonly now: () => number) {
    // MLflow's server creates the Default experiment with id 0 (sqlalchemy_store._create_default_experiment).
    this.addExperiment("Default", {});
  }

  addExperiment(name: string, tags: Record<string, string>): FxExperiment {
    const t = this.now();
    const e: FxExperiment = { experiment_id: String(this.nextExperimentId++), name, lifecycle_stage: "active", tags, creation_time: t, last_update_time: t };
    this.experiments.push(e);
    return e;
  }

  /** start_trace's artifact location tag: the experiment's artifact root + traces/<id>/artifacts. */
  static artifactLocation(experimentId: string, traceId: string): string {
    return `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts`;
  }

  tracesJsonPath(t: FxTrace): string {
    return `${t.experimentId}/traces/${t.traceId}/artifacts/traces.json`;
  }

  newAssessmentId(): string {
    // tracing/utils generate_assessment_id: "a-" + uuid4 hex.
    return `a-${randomUUID().replace(/-/g, "")}`;
  }

  newScorerId(): string {
    return randomUUID();
  }
}

// ---- JSON as protobuf's printer writes it ----

/** google.protobuf.Timestamp JSON: RFC 3339 in UTC, fraction only when non-zero (3 digits for ms). */
export function timestampJson(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, "Z") : iso;
}

/** google.protobuf.Duration JSON: seconds with "s", fraction only when non-zero. */
export function durationJson(ms: number): string {
  const s = Math.floor(ms / 1000);
  const frac = ms % 1000;
  return frac === 0 ? `${s}s` : `${s}.${String(frac).padStart(3, "0")}s`;
}

const nonEmpty = <T extends object>(key: string, v: T): Record<string, T> => (Object.keys(v).length ? { [key]: v } : {});

export function assessmentJson(a: FxAssessment): Record<string, unknown> {
  return {
    assessment_id: a.assessment_id,
    assessment_name: a.assessment_name,
    trace_id: a.trace_id,
    ...(a.span_id ? { span_id: a.span_id } : {}),
    source: a.source,
    create_time: timestampJson(a.create_ms),
    last_update_time: timestampJson(a.update_ms),
    ...(a.feedback ? { feedback: a.feedback } : {}),
    ...(a.expectation ? { expectation: a.expectation } : {}),
    ...(a.rationale ? { rationale: a.rationale } : {}),
    ...nonEmpty("metadata", a.metadata),
    ...(a.overrides ? { overrides: a.overrides } : {}),
    valid: a.valid,
  };
}

export function traceInfoJson(t: FxTrace, extraFields: boolean): Record<string, unknown> {
  return {
    trace_id: t.traceId,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: t.experimentId } },
    ...(t.requestPreview ? { request_preview: t.requestPreview } : {}),
    ...(t.responsePreview ? { response_preview: t.responsePreview } : {}),
    request_time: timestampJson(t.requestMs),
    ...(t.executionMs !== null ? { execution_duration: durationJson(t.executionMs) } : {}),
    state: t.state,
    ...nonEmpty("trace_metadata", t.metadata),
    ...nonEmpty("tags", t.tags),
    ...(t.assessments.length ? { assessments: t.assessments.map(assessmentJson) } : {}),
    // A field a newer server may add: MLflow's clients parse with unknown fields ignored.
    ...(extraFields ? { trace_location_v2: { kind: "experiment" }, client_version: "3.11.2.dev0" } : {}),
  };
}

/**
 * JSON text with BigInt values printed as exact integers: MLflow's message_to_json
 * (utils/proto_json_utils.py) turns int64 and fixed64 fields back into JSON numbers, and
 * nanosecond times exceed a double's exact range.
 */
export function stringifyExact(v: unknown): string {
  const big: string[] = [];
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `@@int${big.push(x.toString()) - 1}@@` : x));
  return text.replace(/"@@int(\d+)@@"/g, (_, i: string) => big[Number(i)]!);
}

/** _set_otel_proto_anyvalue, then message_to_json (int64 as a number, None as an empty AnyValue). */
export function anyValueJson(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v === "boolean") return { bool_value: v };
  if (typeof v === "string") return { string_value: v };
  if (typeof v === "number") return Number.isInteger(v) ? { int_value: BigInt(v) } : { double_value: v };
  if (Array.isArray(v)) return { array_value: { values: v.map(anyValueJson) } };
  if (typeof v === "object") return { kvlist_value: { values: Object.entries(v).map(([key, x]) => ({ key, value: anyValueJson(x) })) } };
  return { string_value: String(v) };
}

const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

/** Span.to_otel_proto in protobuf JSON (what /traces/get and batchGet carry). */
export function otelSpanJson(traceHex: string, s: FxSpan): Record<string, unknown> {
  return {
    trace_id: b64(traceHex),
    span_id: b64(s.spanIdHex),
    ...(s.parentHex ? { parent_span_id: b64(s.parentHex) } : {}),
    name: s.name,
    start_time_unix_nano: s.startNs,
    ...(s.endNs !== null ? { end_time_unix_nano: s.endNs } : {}),
    attributes: Object.entries(s.attributes).map(([key, value]) => ({ key, value: anyValueJson(value) })),
    ...(s.events.length
      ? {
          events: s.events.map((e) => ({
            time_unix_nano: e.timeNs,
            name: e.name,
            attributes: Object.entries(e.attributes).map(([key, value]) => ({ key, value: anyValueJson(value) })),
          })),
        }
      : {}),
    status: { ...(s.status !== "STATUS_CODE_UNSET" ? { code: s.status } : {}), ...(s.message ? { message: s.message } : {}) },
  };
}

/** TS SDK encodeTraceIdToBase64 applied to a "tr-..." id: hex pairs parsed from the string, NaN as 0. */
export function tsSdkTraceIdBytes(traceId: string): string {
  const hex = traceId.padStart(32, "0");
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) {
    const n = parseInt(hex.substring(i * 2, i * 2 + 2), 16);
    bytes[i] = Number.isNaN(n) ? 0 : n & 0xff;
  }
  return bytes.toString("base64");
}

/**
 * traces.json text: {"spans": [...]} with nanosecond integers printed exactly. Python's to_dict
 * keeps the raw OTel attributes (every value JSON text); the TypeScript SDK's toJson the decoded
 * values, an empty parent_span_id for the root and its odd trace_id bytes.
 */
export function tracesJson(t: FxTrace, spans: FxSpan[], writer: "python" | "ts"): string {
  const attrs = (a: Record<string, unknown>) => (writer === "python" ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, JSON.stringify(v)])) : a);
  return stringifyExact({
    spans: spans.map((s) => ({
      trace_id: writer === "python" ? b64(t.otelHex) : tsSdkTraceIdBytes(t.traceId),
      span_id: b64(s.spanIdHex),
      parent_span_id: s.parentHex ? b64(s.parentHex) : writer === "python" ? null : "",
      name: s.name,
      start_time_unix_nano: s.startNs,
      end_time_unix_nano: s.endNs,
      events: s.events.map((e) => ({ name: e.name, time_unix_nano: e.timeNs, attributes: e.attributes })),
      status: { code: s.status, message: s.message },
      attributes: attrs(s.attributes),
    })),
  });
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString("hex");
