// The request sequences of MLflow's own SDKs, written from their source at upstream commit
// a89bed67 (3.11.2.dev0), each step citing the file and function it replays, and the way those
// SDKs read the answers. PyPI is unreachable and the TypeScript SDK is not on npm, so the SDKs
// cannot run here; these replays are the outside view of a tracking server (Vigil or another).
import { randomBytes } from "node:crypto";
import { otlpTypes } from "@/lib/ingest";

/** A span as an SDK user made it: what must read back unchanged. */
export interface SdkSpan {
  spanId: string; // 16 hex
  parentId: string | null;
  name: string;
  spanType: string;
  inputs: unknown;
  outputs: unknown;
  startNs: bigint;
  endNs: bigint;
  status: "OK" | "ERROR";
  attributes?: Record<string, unknown>;
}

export interface SdkTrace {
  traceId: string; // "tr-" + 32 hex: MLflow's v3 id (generate_mlflow_trace_id_from_otel_trace_id)
  spans: SdkSpan[];
}

export function makeTrace(opts: { startMs?: number; inputs?: unknown; outputs?: unknown } = {}): SdkTrace {
  const traceId = `tr-${randomBytes(16).toString("hex")}`;
  const t0 = BigInt(opts.startMs ?? Date.now() - 60_000) * 1_000_000n + 123_456n; // sub-ms digits must survive
  const root = randomBytes(8).toString("hex");
  return {
    traceId,
    spans: [
      {
        spanId: root,
        parentId: null,
        name: "agent",
        spanType: "CHAIN",
        inputs: opts.inputs ?? { question: "What is MLflow?", n: 2 },
        outputs: opts.outputs ?? "MLflow is a platform.",
        startNs: t0,
        endNs: t0 + 900_000_001n,
        status: "OK",
      },
      {
        spanId: randomBytes(8).toString("hex"),
        parentId: root,
        name: "retrieve",
        spanType: "RETRIEVER",
        inputs: ["q", 1, true, null],
        outputs: [{ page_content: "doc", metadata: { id: 7 } }],
        startNs: t0 + 1_000n,
        endNs: t0 + 500_000_000n,
        status: "OK",
        attributes: { "gen_ai.system": "test", tokens: 12 },
      },
    ],
  };
}

/** The attributes an SDK's live span holds, decoded (what _SpanAttributesRegistry.get_all gives). */
function decodedAttributes(t: SdkTrace, s: SdkSpan): Record<string, unknown> {
  return {
    "mlflow.traceRequestId": t.traceId,
    "mlflow.spanType": s.spanType,
    "mlflow.spanInputs": s.inputs,
    "mlflow.spanOutputs": s.outputs,
    ...(s.attributes ?? {}),
  };
}

const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const hex32 = (t: SdkTrace) => t.traceId.slice(3);

type AnyValue = Record<string, unknown>;
/** mlflow/tracing/utils/otlp.py _set_otel_proto_anyvalue, in protobufjs' object form. */
function anyValue(v: unknown): AnyValue {
  if (v === null || v === undefined) return {};
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (typeof v === "object") return { kvlistValue: { values: Object.entries(v).map(([key, x]) => ({ key, value: anyValue(x) })) } };
  return { stringValue: String(v) };
}

/** entities/span.py Span.to_otel_proto: every attribute decoded, then set as an AnyValue. */
function toOtelProto(t: SdkTrace, s: SdkSpan): Record<string, unknown> {
  return {
    traceId: Buffer.from(hex32(t), "hex"),
    spanId: Buffer.from(s.spanId, "hex"),
    parentSpanId: s.parentId ? Buffer.from(s.parentId, "hex") : Buffer.alloc(0),
    name: s.name,
    startTimeUnixNano: s.startNs.toString(),
    endTimeUnixNano: s.endNs.toString(),
    status: { code: s.status === "OK" ? 1 : 2 },
    attributes: Object.entries(decodedAttributes(t, s)).map(([key, v]) => ({ key, value: anyValue(v) })),
  };
}

/** Python's json.dumps for the values tests use (separators ", " and ": ", as Python prints). */
export function pyDumps(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(", ")}]`;
  if (typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`)
      .join(", ")}}`;
  return JSON.stringify(v);
}

/**
 * tracing/client.py _upload_trace_data: json.dumps(TraceData.to_dict()) where Span.to_dict
 * keeps the raw OTel attributes, i.e. every value as JSON text (dump_span_attribute_value).
 */
export function pythonTraceDataJson(t: SdkTrace): string {
  const spans = t.spans.map((s) => ({
    trace_id: b64(hex32(t)),
    span_id: b64(s.spanId),
    parent_span_id: s.parentId ? b64(s.parentId) : null,
    name: s.name,
    start_time_unix_nano: s.startNs,
    end_time_unix_nano: s.endNs,
    events: [],
    status: { code: s.status === "OK" ? "STATUS_CODE_OK" : "STATUS_CODE_ERROR", message: "" },
    attributes: Object.fromEntries(Object.entries(decodedAttributes(t, s)).map(([k, v]) => [k, pyDumps(v)])),
  }));
  return pyDumps({ spans });
}

/**
 * libs/typescript/core/src/core/entities/span.ts Span.toJson with JSONBig.stringify
 * (clients/utils.ts makeRequest): decoded attributes, bigint times as raw JSON integers, status
 * as SpanStatusCode values, parent "" for a root. encodeTraceIdToBase64 is given the "tr-" id
 * (the span's traceId getter reads mlflow.traceRequestId), so trace_id comes out mangled; kept as is.
 */
export function typescriptTraceDataJson(t: SdkTrace): string {
  const mangled = (() => {
    const bytes = new Uint8Array(16);
    const h = t.traceId.padStart(32, "0");
    for (let i = 0; i < 16; i++) bytes[i] = parseInt(h.substring(i * 2, i * 2 + 2), 16);
    return Buffer.from(bytes).toString("base64");
  })();
  const spans = t.spans.map((s) => ({
    trace_id: mangled,
    span_id: b64(s.spanId),
    parent_span_id: s.parentId ? b64(s.parentId) : "",
    name: s.name,
    start_time_unix_nano: s.startNs,
    end_time_unix_nano: s.endNs,
    status: { code: s.status === "OK" ? "STATUS_CODE_OK" : "STATUS_CODE_ERROR", message: "" },
    attributes: decodedAttributes(t, s),
    events: [],
  }));
  return JSON.stringify({ spans }, (_k, v: unknown) => (typeof v === "bigint" ? `\u0000${v}` : v)).replace(/"\\u0000(\d+)"/g, "$1");
}

export interface Http {
  base: string;
  headers?: Record<string, string>;
}

async function call(h: Http, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${h.base}${path}`, { method, headers: { ...(h.headers ?? {}), ...headers }, body });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} -> ${r.status} ${text.slice(0, 300)}`);
  return text;
}

/** TraceInfo.to_proto as message_to_json prints it for StartTraceV3 (store/tracking/rest_store.py start_trace). */
function startTraceBody(t: SdkTrace, experimentId: string, extraMetadata: Record<string, string> = {}) {
  const root = t.spans.find((s) => s.parentId === null)!;
  const startMs = Number(root.startNs / 1_000_000n);
  const durMs = Number((root.endNs - root.startNs) / 1_000_000n);
  return JSON.stringify({
    trace: {
      trace_info: {
        trace_id: t.traceId,
        trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
        request_preview: JSON.stringify(root.inputs).slice(0, 1000),
        response_preview: JSON.stringify(root.outputs).slice(0, 1000),
        request_time: new Date(startMs).toISOString(),
        execution_duration: `${durMs / 1000}s`,
        state: root.status,
        trace_metadata: { "mlflow.trace_schema.version": "3", ...extraMetadata },
        tags: { "mlflow.traceName": root.name },
      },
    },
  });
}

const artifactUrlPath = (artifactLocation: string) => {
  // store/artifact/mlflow_artifacts_repo.py resolve_uri; clients/artifacts/mlflow.ts resolveArtifactUri.
  const u = new URL(artifactLocation);
  if (u.protocol !== "mlflow-artifacts:") throw new Error(`Expected mlflow-artifacts:// URI, got ${u.protocol}`);
  return `/api/2.0/mlflow-artifacts/artifacts${u.pathname}/traces.json`.replace(/\/\/+/g, "/");
};

/** The server version as rest_store._get_server_version reads it (None when it fails). */
export async function pythonServerVersion(h: Http): Promise<[number, number] | null> {
  try {
    const m = /^(\d+)\.(\d+)/.exec((await call(h, "GET", "/version")).trim());
    return m ? [Number(m[1]), Number(m[2])] : null;
  } catch {
    return null;
  }
}

/** rest_store.log_spans: the trace's spans as OTLP protobuf to /v1/traces (what _export_spans_incrementally sends first). */
export async function pythonLogSpans(h: Http, experimentId: string, t: SdkTrace): Promise<void> {
  const type = otlpTypes().request;
  const body = type
    .encode(type.fromObject({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: t.spans.map((s) => toOtelProto(t, s)) }] }] }))
    .finish();
  const r = await fetch(`${h.base}/v1/traces`, {
    method: "POST",
    headers: { ...(h.headers ?? {}), "Content-Type": "application/x-protobuf", "x-mlflow-experiment-id": experimentId },
    body: Buffer.from(body),
  });
  if (!r.ok) throw new Error(`log_spans -> ${r.status}`);
}

/** rest_store.start_trace (what _log_trace sends after the spans); the answer's tags. */
export async function pythonStartTrace(h: Http, experimentId: string, t: SdkTrace, metadata: Record<string, string> = {}): Promise<Record<string, string>> {
  const info = JSON.parse(await call(h, "POST", "/api/3.0/mlflow/traces", startTraceBody(t, experimentId, metadata), { "Content-Type": "application/json" }))
    .trace.trace_info;
  return info.tags as Record<string, string>;
}

/**
 * tracing/export/mlflow_v3.py MlflowV3SpanExporter.export for one finished trace:
 * _export_spans_incrementally -> rest_store.log_spans (only for a server >= 3.4: POST /v1/traces,
 * protobuf), then _log_trace -> start_trace and, unless the answer's tags say
 * spansLocation=TRACKING_STORE (_should_log_spans_to_artifacts), _upload_trace_data (PUT
 * traces.json; http_artifact_repo.log_artifact with Content-Type from _guess_mime_type).
 */
export async function pythonLogTrace(
  h: Http,
  experimentId: string,
  t: SdkTrace,
  metadata: Record<string, string> = {},
): Promise<{ path: "otlp" | "artifact"; tags: Record<string, string> }> {
  const v = await pythonServerVersion(h);
  if (v && (v[0] > 3 || (v[0] === 3 && v[1] >= 4))) await pythonLogSpans(h, experimentId, t);
  const tags = await pythonStartTrace(h, experimentId, t, metadata);
  if (tags["mlflow.trace.spansLocation"] === "TRACKING_STORE") return { path: "otlp", tags };
  await call(h, "PUT", artifactUrlPath(tags["mlflow.artifactLocation"]!), pythonTraceDataJson(t), { "Content-Type": "application/json" });
  return { path: "artifact", tags };
}

/**
 * libs/typescript/core/src/exporters/mlflow.ts MlflowSpanExporter.exportTraceToBackend:
 * client.createTrace (POST traces, TraceInfo.toJson) then uploadTraceData
 * (clients/artifacts/mlflow.ts: PUT traces.json, headers from auth createOssAuth: application/json).
 */
export async function typescriptLogTrace(h: Http, experimentId: string, t: SdkTrace): Promise<void> {
  const root = t.spans.find((s) => s.parentId === null)!;
  const startMs = Number(root.startNs / 1_000_000n);
  const body = JSON.stringify({
    trace: {
      trace_info: {
        trace_id: t.traceId,
        trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
        request_time: new Date(startMs).toISOString(),
        execution_duration: `${Number((root.endNs - root.startNs) / 1_000_000n) / 1000}s`,
        state: root.status,
        trace_metadata: { "mlflow.trace_schema.version": "3" },
        tags: {},
        assessments: [],
      },
    },
  });
  const info = JSON.parse(await call(h, "POST", "/api/3.0/mlflow/traces", body, { "Content-Type": "application/json" })).trace.trace_info;
  const loc = info.tags["mlflow.artifactLocation"];
  if (!loc) throw new Error("Artifact location not found in trace tags");
  await call(h, "PUT", artifactUrlPath(loc), typescriptTraceDataJson(t), { "Content-Type": "application/json" });
}

/** A span as the SDKs' readers expose it: span.name, span.span_type, span.inputs, ... */
export interface ReadSpan {
  spanId: string;
  parentId: string | null;
  name: string;
  spanType: unknown;
  inputs: unknown;
  outputs: unknown;
  startNs: bigint;
  endNs: bigint | null;
  attributes: Record<string, unknown>;
}

/** Python's json.loads with big integers kept exact (Python ints are unbounded). */
function loadsExact(text: string): any {
  const q = text.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g, (m) => (m.startsWith('"') ? m : `"\\u0000${m}"`));
  return JSON.parse(q, (_k, v: unknown) => (typeof v === "string" && v.startsWith("\u0000") ? BigInt(v.slice(1)) : v));
}

/** _SpanAttributesRegistry.get: json.loads the held value, or the value itself when that fails. */
function pyGet(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** mlflow/tracing/utils/otlp.py _decode_otel_proto_anyvalue, over protobuf JSON. */
function decodeAny(v: any): unknown {
  if (!v || typeof v !== "object") return null;
  if ("string_value" in v) return v.string_value;
  if ("bool_value" in v) return v.bool_value;
  if ("int_value" in v) return Number(v.int_value);
  if ("double_value" in v) return v.double_value;
  if ("array_value" in v) return (v.array_value.values ?? []).map(decodeAny);
  if ("kvlist_value" in v) return Object.fromEntries((v.kvlist_value.values ?? []).map((kv: any) => [kv.key, decodeAny(kv.value)]));
  return null;
}

const hexOf = (b: string) => Buffer.from(b, "base64").toString("hex");

function readSpan(s: any, attributes: Record<string, unknown>): ReadSpan {
  return {
    spanId: hexOf(s.span_id),
    parentId: s.parent_span_id ? hexOf(s.parent_span_id) : null,
    name: s.name,
    spanType: attributes["mlflow.spanType"],
    inputs: attributes["mlflow.spanInputs"],
    outputs: attributes["mlflow.spanOutputs"],
    startNs: BigInt(s.start_time_unix_nano),
    endNs: s.end_time_unix_nano ? BigInt(s.end_time_unix_nano) : null,
    attributes,
  };
}

/** Span.from_otel_proto: AnyValues decoded, dumped, read back through get(). */
const fromOtelJson = (s: any): ReadSpan => readSpan(s, Object.fromEntries((s.attributes ?? []).map((kv: any) => [kv.key, decodeAny(kv.value)])));

/** Span.from_dict (Python) and Span.fromJson + SpanAttributesRegistry.get (TypeScript) read alike. */
function fromDict(s: any): ReadSpan {
  if (!s.attributes?.["mlflow.traceRequestId"]) throw new Error("The mlflow.traceRequestId attribute is empty or missing.");
  return readSpan(s, Object.fromEntries(Object.entries(s.attributes as Record<string, unknown>).map(([k, v]) => [k, pyGet(v)])));
}

async function downloadSpans(h: Http, info: any): Promise<ReadSpan[]> {
  const text = await call(h, "GET", artifactUrlPath(info.tags["mlflow.artifactLocation"]));
  return loadsExact(text).spans.map(fromDict);
}

/**
 * tracing/client.py TracingClient.get_trace (mlflow.get_trace): get_trace_info, then by the
 * spansLocation tag rest_store.get_trace (GET traces/get, allow_partial=False as Python prints
 * it) or _download_trace_data (GET traces.json through the artifact proxy).
 */
export async function pythonGetTrace(h: Http, traceId: string): Promise<{ info: any; spans: ReadSpan[] }> {
  const info = JSON.parse(await call(h, "GET", `/api/3.0/mlflow/traces/${traceId}`)).trace.trace_info;
  if (info.tags["mlflow.trace.spansLocation"] === "TRACKING_STORE") {
    const t = loadsExact(await call(h, "GET", `/api/3.0/mlflow/traces/get?trace_id=${traceId}&allow_partial=False`)).trace;
    return { info: t.trace_info, spans: t.spans.map(fromOtelJson) };
  }
  return { info, spans: await downloadSpans(h, info) };
}

/**
 * mlflow.search_traces(include_spans=True) -> TracingClient.search_traces: POST traces/search,
 * then batch_get_traces: POST batchGetInfos, grouped by spansLocation
 * (_group_trace_infos_by_location): GET batchGet for TRACKING_STORE, traces.json for the rest.
 */
export async function pythonSearchTracesWithSpans(h: Http, experimentId: string, filter?: string): Promise<{ info: any; spans: ReadSpan[] }[]> {
  const found = JSON.parse(
    await call(
      h,
      "POST",
      "/api/3.0/mlflow/traces/search",
      JSON.stringify({
        locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
        filter,
        max_results: 100,
        order_by: ["timestamp_ms DESC"],
      }),
      { "Content-Type": "application/json" },
    ),
  );
  const ids: string[] = (found.traces ?? []).map((t: any) => t.trace_id);
  if (!ids.length) return [];
  const infos = JSON.parse(
    await call(h, "POST", "/api/3.0/mlflow/traces/batchGetInfos", JSON.stringify({ trace_ids: ids }), { "Content-Type": "application/json" }),
  ).trace_infos as any[];
  const inStore = infos.filter((i) => i.tags["mlflow.trace.spansLocation"] === "TRACKING_STORE");
  const out: { info: any; spans: ReadSpan[] }[] = [];
  if (inStore.length) {
    const q = inStore.map((i) => `trace_ids=${encodeURIComponent(i.trace_id)}`).join("&");
    for (const t of loadsExact(await call(h, "GET", `/api/3.0/mlflow/traces/batchGet?${q}`)).traces)
      out.push({ info: t.trace_info, spans: t.spans.map(fromOtelJson) });
  }
  for (const i of infos.filter((x) => !inStore.includes(x))) out.push({ info: i, spans: await downloadSpans(h, i) });
  return out;
}

/** libs/typescript/core/src/clients/client.ts MlflowClient.getTrace: trace info, then always traces.json. */
export async function typescriptGetTrace(h: Http, traceId: string): Promise<{ info: any; spans: ReadSpan[] }> {
  const info = JSON.parse(await call(h, "GET", `/api/3.0/mlflow/traces/${traceId}`)).trace.trace_info;
  return { info, spans: await downloadSpans(h, info) };
}

/** What each span must read back as: the SDK user's own values. */
export function expectedSpans(t: SdkTrace): ReadSpan[] {
  return t.spans.map((s) => ({
    spanId: s.spanId,
    parentId: s.parentId,
    name: s.name,
    spanType: s.spanType,
    inputs: s.inputs,
    outputs: s.outputs,
    startNs: s.startNs,
    endNs: s.endNs,
    attributes: decodedAttributes(t, s),
  }));
}

export const bySpanId = (a: ReadSpan, b: ReadSpan) => (a.spanId < b.spanId ? -1 : 1);
