// MLflow's Trace message ({trace_info, spans}) -> Vigil's TraceData, the inverse of what
// lib/traces/get-trace.ts answers. Spans are opentelemetry.proto.trace.v1.Span in protobuf JSON:
// ids as base64 (or hex), fixed64 times as strings or numbers, attribute values as AnyValue
// objects, mlflow.* attribute values JSON-encoded. Decoding reuses ingestion's own rules so a
// trace reads the same whether Vigil stored it or a remote MLflow did.
import { z } from "zod";
import { extractRequestResponse, decodeMaybeJson } from "@/lib/ingest/previews";
import { decodeAttributes } from "@/lib/ingest/span-attributes";
import { jsonAnyValue } from "@/lib/ingest/otlp/decode-json";
import { statusCodeOf } from "@/lib/ingest/otlp/common";
import { CHILDREN_SEARCHED } from "@/lib/ingest/store-spans-sql";
import { parseDuration, parseRfc3339 } from "@/lib/mlflow/proto-json";
import type { SpanData, TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import { traceInfoShape } from "./schemas";

/** OTLP JSON parsers accept lowerCamelCase names too; normalise them to the proto names. */
const snakeKeys = (v: unknown) =>
  v && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), x]))
    : v;

/** fixed64 nanoseconds: kept as a decimal string, since they exceed a double's exact range. */
const nanos = z
  // z.number().int() stops at 2^53 and nanosecond times are larger; a number is taken as sent.
  .union([z.string().regex(/^\d+$/, "must be a decimal integer"), z.number().nonnegative().refine(Number.isInteger, "must be an integer")])
  .transform((v) => BigInt(v).toString());

/** A trace or span id as bytes of `size`: hex, or the base64 protobuf JSON uses for bytes. */
export function idHex(v: string, size: number): string | null {
  if (new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(v)) return v.toLowerCase();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return null;
  const bytes = Buffer.from(v, "base64");
  return bytes.length === size ? bytes.toString("hex") : null;
}

const attributeList = z
  .array(z.object({ key: z.string(), value: z.unknown() }))
  .nullish()
  .transform((kvs, ctx) => {
    const out: Record<string, unknown> = {};
    try {
      for (const kv of kvs ?? []) out[kv.key] = jsonAnyValue(kv.value);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message : "invalid attribute value" });
      return z.NEVER;
    }
    return out;
  });

const spanId = (nullable: boolean) =>
  z.string().transform((v, ctx) => {
    if (nullable && v === "") return null;
    const hex = idHex(v, 8);
    if (hex === null) ctx.addIssue({ code: "custom", message: "must be an 8-byte span id (base64 or hex)" });
    return hex;
  });

const SpanSchema = z.preprocess(
  snakeKeys,
  z.object({
    span_id: spanId(false),
    parent_span_id: spanId(true).nullish(),
    name: z.string().nullish(),
    start_time_unix_nano: nanos,
    end_time_unix_nano: nanos.nullish(),
    attributes: attributeList,
    events: z.array(z.preprocess(snakeKeys, z.object({ time_unix_nano: nanos.nullish(), name: z.string().nullish(), attributes: attributeList }))).nullish(),
    status: z.object({ code: z.union([z.string(), z.number()]).nullish(), message: z.string().nullish() }).nullish(),
  }),
);

type RawSpan = z.output<typeof SpanSchema>;

function toSpanData(traceId: string, s: RawSpan): SpanData {
  const attributes = decodeAttributes(s.attributes);
  const spanType = attributes["mlflow.spanType"];
  const end = s.end_time_unix_nano ?? null;
  return {
    // The trace's own id is authoritative (MLflow ids need not be "tr-" + the OTel id).
    trace_id: traceId,
    span_id: s.span_id!,
    parent_span_id: s.parent_span_id ?? null,
    name: s.name ?? "",
    span_type: typeof spanType === "string" ? spanType : null,
    start_time_ns: s.start_time_unix_nano,
    // OTLP's "0" end time means the span has not ended.
    end_time_ns: end === null || end === "0" ? null : end,
    status_code: statusCodeOf(s.status?.code ?? undefined),
    status_message: s.status?.message ?? "",
    attributes,
    events: (s.events ?? []).map((e) => ({ name: e.name ?? "", time_unix_nano: e.time_unix_nano ?? "0", attributes: e.attributes })),
  };
}

const byStart = (a: SpanData, b: SpanData) => {
  const d = BigInt(a.start_time_ns) - BigInt(b.start_time_ns);
  return d < 0n ? -1 : d > 0n ? 1 : a.span_id < b.span_id ? -1 : a.span_id > b.span_id ? 1 : 0;
};

export const TraceJsonSchema = z
  .object({
    // request/response are deprecated TraceInfoV3 fields: the full JSON, used when spans are absent.
    trace_info: z.object({ ...traceInfoShape, request: z.string().optional(), response: z.string().optional() }),
    spans: z
      .array(SpanSchema)
      .nullish()
      .transform((s) => s ?? []),
  })
  .transform(({ trace_info: { request: legacyRequest, response: legacyResponse, ...info }, spans: raw }): TraceData => {
    const spans = raw.map((s) => toSpanData(info.trace_id, s)).sort(byStart);
    const root = spans.find((s) => s.parent_span_id === null);
    const io =
      root || spans.length
        ? extractRequestResponse(
            root?.attributes,
            spans
              .filter((s) => s !== root)
              .slice(0, CHILDREN_SEARCHED)
              .map((s) => s.attributes),
          )
        : { request: decodeMaybeJson(legacyRequest), response: decodeMaybeJson(legacyResponse) };
    const timestampMs = parseRfc3339(info.request_time)!;
    const executionMs = info.execution_duration === undefined ? null : parseDuration(info.execution_duration);
    return {
      info: {
        ...(info as TraceInfoV3),
        timestamp_ms: timestampMs,
        execution_time_ms: executionMs,
        end_time_ms: executionMs === null ? null : timestampMs + executionMs,
        name: root?.name ?? info.tags["mlflow.traceName"] ?? null,
        request: io.request ?? null,
        response: io.response ?? null,
      },
      spans,
    };
  });

export class TraceJsonError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid MLflow trace JSON: ${field ? `'${field}' ` : ""}${problem}`);
    this.name = "TraceJsonError";
  }
}

/**
 * OTel span JSON as MLflow sends it -> SpanData with decoded attributes; and the Trace message ->
 * TraceData (timestamp_ms from request_time, execution_time_ms from execution_duration, end_time_ms,
 * name from the root span, request/response decoded from the root span's mlflow.spanInputs/Outputs).
 */
export function traceDataFromJson(trace: { trace_info: unknown; spans?: unknown[] }): TraceData {
  const r = TraceJsonSchema.safeParse(trace);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new TraceJsonError(issue.path.map(String).join("."), issue.message);
}
