import { InvalidParameterError } from "@/lib/core";
import type { IncomingSpan, RejectedSpan } from "../types";
import { type DecodedOtlp, SpanDecodeError, int64Value, spanKindOf, statusCodeOf } from "./common";

// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): proto3 JSON with
// lowerCamelCase keys, trace/span ids as hex (not base64), 64-bit integers as strings or numbers.
// The original snake_case names are accepted too, as protobuf JSON parsers do.

type Obj = Record<string, unknown>;
const MAX_DEPTH = 32;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const field = (o: Obj, camel: string, snake: string): unknown => (o[camel] !== undefined ? o[camel] : o[snake]);

function list(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SpanDecodeError(`${what} must be a list`);
  return v;
}

/** uint64 / int64 as a decimal string; JSON may carry them as strings or numbers. */
export function jsonInt64(v: unknown, what: string, signed = false): string {
  if (v === undefined || v === null || v === "") return "0";
  if (typeof v === "number" && Number.isInteger(v) && (signed || v >= 0)) return BigInt(v).toString();
  if (typeof v === "string" && (signed ? /^-?\d+$/ : /^\d+$/).test(v)) return BigInt(v).toString();
  throw new SpanDecodeError(`${what} must be ${signed ? "an" : "a non-negative"} integer (got ${JSON.stringify(v).slice(0, 40)})`);
}

const idHex = (v: unknown): string => (typeof v === "string" ? v.toLowerCase() : "");

export function jsonAnyValue(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new SpanDecodeError(`attribute values nest deeper than ${MAX_DEPTH} levels`);
  if (!isObj(v)) return null;
  if ("stringValue" in v || "string_value" in v) return String(field(v, "stringValue", "string_value") ?? "");
  if ("boolValue" in v || "bool_value" in v) return Boolean(field(v, "boolValue", "bool_value"));
  if ("intValue" in v || "int_value" in v) return int64Value(jsonInt64(field(v, "intValue", "int_value"), "intValue", true));
  if ("doubleValue" in v || "double_value" in v) {
    const d = field(v, "doubleValue", "double_value");
    // proto3 JSON writes NaN and infinities as strings.
    return typeof d === "number" ? d : Number(d);
  }
  if ("bytesValue" in v || "bytes_value" in v) return String(field(v, "bytesValue", "bytes_value") ?? "");
  if ("arrayValue" in v || "array_value" in v) {
    const a = field(v, "arrayValue", "array_value");
    return list(isObj(a) ? a.values : undefined, "arrayValue.values").map((x) => jsonAnyValue(x, depth + 1));
  }
  if ("kvlistValue" in v || "kvlist_value" in v) {
    const kv = field(v, "kvlistValue", "kvlist_value");
    return jsonAttributes(isObj(kv) ? kv.values : undefined, depth + 1);
  }
  return null;
}

export function jsonAttributes(kvs: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list(kvs, "attributes")) {
    if (!isObj(kv) || typeof kv.key !== "string") throw new SpanDecodeError("each attribute needs a string key");
    out[kv.key] = jsonAnyValue(kv.value, depth);
  }
  return out;
}

function toSpan(s: unknown, resourceAttributes: Record<string, unknown>): IncomingSpan {
  if (!isObj(s)) throw new SpanDecodeError("span must be an object");
  const status = field(s, "status", "status");
  const parent = idHex(field(s, "parentSpanId", "parent_span_id"));
  const end = jsonInt64(field(s, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano");
  return {
    traceIdHex: idHex(field(s, "traceId", "trace_id")),
    spanIdHex: idHex(field(s, "spanId", "span_id")),
    parentSpanIdHex: parent === "" ? null : parent,
    name: typeof s.name === "string" ? s.name : "",
    kind: spanKindOf(s.kind),
    startTimeNs: jsonInt64(field(s, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano"),
    endTimeNs: end === "0" ? null : end,
    statusCode: statusCodeOf(isObj(status) ? status.code : undefined),
    statusMessage: isObj(status) && typeof status.message === "string" ? status.message : "",
    attributes: jsonAttributes(s.attributes),
    events: list(s.events, "events").map((e) => {
      if (!isObj(e)) throw new SpanDecodeError("each event must be an object");
      return {
        name: typeof e.name === "string" ? e.name : "",
        time_unix_nano: jsonInt64(field(e, "timeUnixNano", "time_unix_nano"), "event timeUnixNano"),
        attributes: jsonAttributes(e.attributes),
      };
    }),
    resourceAttributes,
  };
}

/** The request's skeleton must be right (else 400); a bad span only rejects that span. */
function skeleton(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidParameterError(`'${what}' must be a list.`);
  return v;
}

export function decodeOtlpJson(body: Buffer): DecodedOtlp {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new InvalidParameterError("Request body is not valid JSON.");
  }
  if (!isObj(parsed)) throw new InvalidParameterError("Request body must be a JSON ExportTraceServiceRequest object.");
  const spans: IncomingSpan[] = [];
  const rejected: RejectedSpan[] = [];
  for (const rs of skeleton(field(parsed, "resourceSpans", "resource_spans"), "resourceSpans")) {
    if (!isObj(rs)) throw new InvalidParameterError("Each of 'resourceSpans' must be an object.");
    let resourceAttributes: Record<string, unknown> = {};
    if (isObj(rs.resource)) {
      try {
        resourceAttributes = jsonAttributes(rs.resource.attributes);
      } catch (e) {
        if (!(e instanceof SpanDecodeError)) throw e;
        throw new InvalidParameterError(`Invalid resource attributes: ${e.message}.`);
      }
    }
    for (const ss of skeleton(field(rs, "scopeSpans", "scope_spans"), "scopeSpans")) {
      if (!isObj(ss)) throw new InvalidParameterError("Each of 'scopeSpans' must be an object.");
      for (const s of skeleton(ss.spans, "spans")) {
        try {
          spans.push(toSpan(s, resourceAttributes));
        } catch (e) {
          if (!(e instanceof SpanDecodeError)) throw e;
          const o = isObj(s) ? s : {};
          rejected.push({ traceId: idHex(field(o, "traceId", "trace_id")), spanId: idHex(field(o, "spanId", "span_id")), reason: e.message });
        }
      }
    }
  }
  return { format: "json", spans, rejected };
}
