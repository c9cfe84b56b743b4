import { InvalidParameterError } from "@/lib/core";
import type { IncomingSpan, RejectedSpan } from "../types";
import { type DecodedOtlp, SpanDecodeError, int64Value, spanKindOf, statusCodeOf } from "./common";
import { otlpTypes } from "./proto-root";

// Shapes of the messages protobufjs decodes from the vendored OpenTelemetry .proto files.
// 64-bit fields come back as Long objects (protobufjs depends on `long`), bytes as Buffers.
type Int64 = number | { low: number; high: number; toString(): string };
type Bytes = Uint8Array | number[];
interface PbAnyValue {
  value?: string; // name of the oneof member that is set
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  bytesValue?: Bytes;
  arrayValue?: { values?: PbAnyValue[] };
  kvlistValue?: { values?: PbKeyValue[] };
}
interface PbKeyValue {
  key?: string;
  value?: PbAnyValue | null;
}
interface PbSpan {
  traceId?: Bytes;
  spanId?: Bytes;
  parentSpanId?: Bytes;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Int64;
  endTimeUnixNano?: Int64;
  attributes?: PbKeyValue[];
  events?: { timeUnixNano?: Int64; name?: string; attributes?: PbKeyValue[] }[];
  status?: { code?: number; message?: string } | null;
}
interface PbRequest {
  resourceSpans?: { resource?: { attributes?: PbKeyValue[] } | null; scopeSpans?: { spans?: PbSpan[] }[] }[];
}

const MAX_DEPTH = 32;

const hex = (b: Bytes | undefined): string =>
  !b || b.length === 0 ? "" : Buffer.isBuffer(b) ? b.toString("hex") : Buffer.from(b as Uint8Array).toString("hex");

/** fixed64 as a decimal string. Long.toString() is exact; a plain number is already safe. */
function u64(v: Int64 | undefined): string {
  if (v === undefined || v === null) return "0";
  if (typeof v === "number") return String(v);
  if (v.high === 0) return String(v.low >>> 0);
  return ((BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0)).toString();
}

export function pbAnyValue(v: PbAnyValue | null | undefined, depth = 0): unknown {
  if (!v || !v.value) return null;
  if (depth > MAX_DEPTH) throw new SpanDecodeError(`attribute values nest deeper than ${MAX_DEPTH} levels`);
  switch (v.value) {
    case "stringValue":
      return v.stringValue ?? "";
    case "boolValue":
      return v.boolValue ?? false;
    case "intValue":
      return typeof v.intValue === "number" ? v.intValue : int64Value(String(v.intValue ?? 0));
    case "doubleValue":
      return v.doubleValue ?? 0;
    case "bytesValue":
      // Binary attribute values are kept as base64, the way OTLP JSON carries them.
      return Buffer.from((v.bytesValue ?? []) as Uint8Array).toString("base64");
    case "arrayValue":
      return (v.arrayValue?.values ?? []).map((x) => pbAnyValue(x, depth + 1));
    case "kvlistValue":
      return pbAttributes(v.kvlistValue?.values, depth + 1);
    default:
      return null;
  }
}

export function pbAttributes(kvs: PbKeyValue[] | undefined, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!kvs) return out;
  for (const kv of kvs) out[kv.key ?? ""] = pbAnyValue(kv.value, depth);
  return out;
}

function toSpan(s: PbSpan, resourceAttributes: Record<string, unknown>): IncomingSpan {
  const end = u64(s.endTimeUnixNano);
  return {
    traceIdHex: hex(s.traceId),
    spanIdHex: hex(s.spanId),
    parentSpanIdHex: s.parentSpanId && s.parentSpanId.length > 0 ? hex(s.parentSpanId) : null,
    name: s.name ?? "",
    kind: spanKindOf(s.kind ?? 0),
    startTimeNs: u64(s.startTimeUnixNano),
    // proto3 cannot tell an unset end time from 0: both mean the span has not ended.
    endTimeNs: end === "0" ? null : end,
    statusCode: statusCodeOf(s.status?.code ?? 0),
    statusMessage: s.status?.message ?? "",
    attributes: pbAttributes(s.attributes),
    events: (s.events ?? []).map((e) => ({
      name: e.name ?? "",
      time_unix_nano: u64(e.timeUnixNano),
      attributes: pbAttributes(e.attributes),
    })),
    resourceAttributes,
  };
}

/** Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest; a body that is not one is a 400. */
export function decodeOtlpProtobuf(body: Buffer): DecodedOtlp {
  let req: PbRequest;
  try {
    req = otlpTypes().request.decode(body) as unknown as PbRequest;
  } catch {
    throw new InvalidParameterError("Request body is not a valid OTLP protobuf ExportTraceServiceRequest (truncated or malformed).");
  }
  const spans: IncomingSpan[] = [];
  const rejected: RejectedSpan[] = [];
  for (const rs of req.resourceSpans ?? []) {
    let resourceAttributes: Record<string, unknown>;
    try {
      resourceAttributes = pbAttributes(rs.resource?.attributes ?? undefined);
    } catch (e) {
      if (!(e instanceof SpanDecodeError)) throw e;
      throw new InvalidParameterError(`Invalid resource attributes: ${e.message}.`);
    }
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        try {
          spans.push(toSpan(s, resourceAttributes));
        } catch (e) {
          if (!(e instanceof SpanDecodeError)) throw e;
          rejected.push({ traceId: hex(s.traceId), spanId: hex(s.spanId), reason: e.message });
        }
      }
    }
  }
  return { format: "protobuf", spans, rejected };
}
