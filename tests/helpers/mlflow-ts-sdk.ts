// MLflow's TypeScript SDK reading a trace back (libs/typescript/core at upstream a89bed67), as
// MlflowClient.getTrace does it, request by request and parse by parse: clients/client.ts
// getTrace -> getTraceInfo (GET traces/{id}, TraceInfo.fromJson) -> clients/artifacts/mlflow.ts
// downloadTraceData (resolveArtifactUri, GET traces.json) -> TraceData.fromJson -> Span.fromJson,
// with the Span getters users call (core/entities/span.ts) and makeRequest's error and
// JSONBig behaviour (clients/utils.ts). The SDK is not on npm, so it is replayed, not run.
import type { Http } from "./mlflow-sdks";

/** HrTime as @opentelemetry/api holds it: [seconds, nanoseconds]. */
export type HrTime = [number, number];

export interface TsTraceInfo {
  traceId: string;
  clientRequestId?: string;
  experimentId?: string;
  requestPreview?: string;
  responsePreview?: string;
  requestTime: number;
  executionDuration?: number;
  state: string;
  traceMetadata: Record<string, string>;
  tags: Record<string, string>;
}

/** What a user reads off a downloaded Span: its getters. */
export interface TsSpan {
  traceId: unknown;
  spanId: string;
  parentId: string | null;
  name: string;
  spanType: unknown;
  startTime: HrTime;
  endTime: HrTime | null;
  statusCode: string;
  statusDescription: string | undefined;
  inputs: unknown;
  outputs: unknown;
  attributes: Record<string, unknown>;
  events: { name: string; timestamp: bigint; attributes: Record<string, unknown> }[];
}

/**
 * makeRequest: a non-2xx answer throws "HTTP <status>: <statusText> - <body>", wrapped as
 * "API request failed: ..."; the body is parsed by JSONBig, whose numbers past 15 digits become
 * BigNumber objects that arithmetic coerces to doubles, which JSON.parse's numbers already are.
 */
async function makeRequest(method: string, url: string): Promise<any> {
  const r = await fetch(url, { method, headers: { "Content-Type": "application/json" } });
  if (!r.ok) {
    const body = await r.text();
    throw new Error(`API request failed: HTTP ${r.status}: ${r.statusText}${body ? ` - ${body.slice(0, 1000)}` : ""}`);
  }
  if (r.status === 204 || r.headers.get("content-length") === "0") return {};
  const text = await r.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`API request failed: ${(e as Error).message}`);
  }
}

/** TraceInfo.fromJson */
function traceInfoFromJson(j: any): TsTraceInfo {
  return {
    traceId: j.trace_id,
    clientRequestId: j.client_request_id,
    experimentId: j.trace_location?.mlflow_experiment?.experiment_id,
    requestPreview: j.request_preview,
    responsePreview: j.response_preview,
    requestTime: j.request_time != null ? new Date(j.request_time).getTime() : Date.now(),
    executionDuration: j.execution_duration != null ? parseFloat(String(j.execution_duration).replace("s", "")) * 1000 : undefined,
    state: j.state,
    traceMetadata: j.trace_metadata || {},
    tags: j.tags || {},
  };
}

/** utils convertNanoSecondsToHrTime for a non-bigint value. */
const hrTime = (ns: number): HrTime => [Math.floor(ns / 1e9), ns % 1e9];

/** utils decodeIdFromBase64 */
const decodeId = (b64: string) =>
  Array.from(Buffer.from(b64, "base64"))
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** SpanAttributesRegistry.get: a string is JSON.parse'd when it parses, else returned as is. */
function attr(v: unknown): unknown {
  if (v && typeof v === "string") {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

/** convertStatusCodeToOTel, then SpanStatus.fromOtelStatus's code (MLflow's SpanStatusCode). */
function statusCode(code: unknown): string {
  if (code === "STATUS_CODE_OK" || code === "OK") return "STATUS_CODE_OK";
  if (code === "STATUS_CODE_ERROR" || code === "ERROR") return "STATUS_CODE_ERROR";
  return "STATUS_CODE_UNSET";
}

/** Span.fromJson and the getters. */
function spanFromJson(j: any): TsSpan {
  const raw: Record<string, unknown> = j.attributes || {};
  const attributes = Object.fromEntries(Object.keys(raw).map((k) => [k, attr(raw[k])]));
  return {
    traceId: attributes["mlflow.traceRequestId"],
    spanId: decodeId(j.span_id),
    parentId: j.parent_span_id ? decodeId(j.parent_span_id) : null,
    name: j.name,
    spanType: attributes["mlflow.spanType"],
    startTime: hrTime(Number(j.start_time_unix_nano)),
    endTime: j.end_time_unix_nano ? hrTime(Number(j.end_time_unix_nano)) : null,
    statusCode: statusCode(j.status?.code),
    statusDescription: j.status?.message,
    inputs: attributes["mlflow.spanInputs"],
    outputs: attributes["mlflow.spanOutputs"],
    attributes,
    events: (j.events || []).map((e: any) => {
      const [s, n] = hrTime(Number(e.time_unix_nano));
      return { name: e.name, timestamp: BigInt(s) * 1_000_000_000n + BigInt(n), attributes: e.attributes || {} };
    }),
  };
}

/** TraceData.fromJson over a traces.json text (what downloadTraceData does with the answer). */
export function tsTraceDataFromJson(json: any): TsSpan[] {
  try {
    return (json.spans as any[]).map(spanFromJson);
  } catch (e) {
    throw new Error(`Failed to parse trace data JSON: ${(e as Error).message}`);
  }
}

/** MlflowArtifactsClient.resolveArtifactUri for traces.json. */
function artifactUrl(host: string, info: TsTraceInfo): string {
  const uri = info.tags["mlflow.artifactLocation"];
  if (!uri) throw new Error("Artifact location not found in trace tags");
  const url = new URL(uri);
  if (url.protocol !== "mlflow-artifacts:") throw new Error(`Expected mlflow-artifacts:// URI, got ${url.protocol}`);
  return `${host.replace(/\/$/, "")}/api/2.0/mlflow-artifacts/artifacts${url.pathname}/traces.json`;
}

/** MlflowClient.getTrace(traceId): the trace info, then always traces.json through the artifact proxy. */
export async function tsGetTrace(h: Http, traceId: string): Promise<{ info: TsTraceInfo; spans: TsSpan[] }> {
  const r = await makeRequest("GET", `${h.base}/api/3.0/mlflow/traces/${traceId}`);
  if (!r.trace?.trace_info) throw new Error(`Invalid response format: missing trace_info: ${JSON.stringify(r)}`);
  const info = traceInfoFromJson(r.trace.trace_info);
  return { info, spans: tsTraceDataFromJson(await makeRequest("GET", artifactUrl(h.base, info))) };
}
