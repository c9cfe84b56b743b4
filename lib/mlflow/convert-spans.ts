// Spans as MLflow's GetTrace / BatchGetTraces answer them: opentelemetry.proto.trace.v1.Span in
// protobuf JSON with proto field names (MLflow's message_to_json), ids as base64 bytes.
import type { spans } from "@/db/schema";

/** A stored span row (defined here so convert.ts can re-export it without an import cycle). */
export type SpanRow = typeof spans.$inferSelect;

export type OtelAnyValue =
  | { string_value: string }
  | { bool_value: boolean }
  | { int_value: number | string }
  | { double_value: number }
  | { array_value: { values: OtelAnyValue[] } }
  | { kvlist_value: { values: OtelKeyValue[] } }
  | Record<string, never>;

export interface OtelKeyValue {
  key: string;
  value: OtelAnyValue;
}

export interface OtelSpanJson {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind: string;
  /** fixed64 nanoseconds as decimal strings: exact in JSON, and accepted by protobuf parsers. */
  start_time_unix_nano: string;
  end_time_unix_nano?: string;
  attributes: OtelKeyValue[];
  events: { time_unix_nano: string; name: string; attributes: OtelKeyValue[] }[];
  status: { code: string; message?: string };
}

const KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];

const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

export function toAnyValue(v: unknown): OtelAnyValue {
  if (v === null || v === undefined) return {};
  if (typeof v === "string") return { string_value: v };
  if (typeof v === "boolean") return { bool_value: v };
  if (typeof v === "number") return Number.isInteger(v) ? { int_value: v } : { double_value: v };
  if (typeof v === "bigint") return { int_value: v.toString() };
  if (Array.isArray(v)) return { array_value: { values: v.map(toAnyValue) } };
  if (typeof v === "object") {
    return { kvlist_value: { values: Object.entries(v as Record<string, unknown>).map(([key, x]) => ({ key, value: toAnyValue(x) })) } };
  }
  return { string_value: String(v) };
}

/**
 * Attribute values as MLflow's server answers them: decoded AnyValues for every key
 * (Span.to_otel_proto reads each value through _SpanAttributesRegistry.get, so mlflow.spanType is
 * the string "CHAIN" and mlflow.spanInputs a kvlist), which is also how Vigil stores them.
 */
export function attributesToOtel(attrs: Record<string, unknown>): OtelKeyValue[] {
  return Object.entries(attrs).map(([key, v]) => ({ key, value: toAnyValue(v) }));
}

function parse<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function spanToOtelJson(row: SpanRow): OtelSpanJson {
  const attrs = parse<Record<string, unknown>>(row.attributes, {});
  // MLflow clients index spans by this attribute; spans from other instrumentations lack it.
  if (attrs["mlflow.traceRequestId"] === undefined) attrs["mlflow.traceRequestId"] = row.traceId;
  const events = parse<{ name: string; time_unix_nano: string; attributes?: Record<string, unknown> }[]>(row.events, []);
  const out: OtelSpanJson = {
    trace_id: hexToBase64(row.traceId.replace(/^tr-/, "")),
    span_id: hexToBase64(row.spanId),
    name: row.name,
    kind: KINDS[row.kind] ?? KINDS[0]!,
    start_time_unix_nano: row.startTimeNs,
    attributes: attributesToOtel(attrs),
    events: events.map((e) => ({
      time_unix_nano: String(e.time_unix_nano),
      name: e.name,
      attributes: Object.entries(e.attributes ?? {}).map(([key, v]) => ({ key, value: toAnyValue(v) })),
    })),
    status: { code: row.statusCode },
  };
  if (row.parentSpanId) out.parent_span_id = hexToBase64(row.parentSpanId);
  if (row.endTimeNs !== null) out.end_time_unix_nano = row.endTimeNs;
  if (row.statusMessage) out.status.message = row.statusMessage;
  return out;
}
