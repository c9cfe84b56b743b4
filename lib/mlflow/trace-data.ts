// MLflow's trace data file, traces.json: `{"spans": [...]}` with each span as Span.to_dict writes
// it (entities/span.py): ids as base64 bytes, nanosecond times as JSON integers, status names,
// and attributes as a plain object. MLflow's Python SDK writes every attribute value as JSON text
// (the raw OTel attributes); its TypeScript SDK writes them decoded (Span.toJson, getAll()).
// Both are read here; what Vigil writes is Python's form, which both SDKs read back.
import { attributeEncoding, decodeAttributeValue } from "@/lib/ingest/span-attributes";

/** A span read from traces.json: hex ids, decimal-string times, decoded attributes. */
export interface TraceDataSpan {
  spanIdHex: string;
  parentSpanIdHex: string | null;
  name: string;
  startTimeNs: string;
  endTimeNs: string | null;
  statusCode: "STATUS_CODE_UNSET" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
  statusMessage: string;
  attributes: Record<string, unknown>;
  events: { name: string; time_unix_nano: string; attributes: Record<string, unknown> }[];
}

export class TraceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraceDataError";
  }
}

export const REQUEST_ID_ATTRIBUTE = "mlflow.traceRequestId";

// Integers beyond 2^53 (nanosecond times) lose digits in JSON.parse; they are quoted first. The
// alternation skips string literals, so digits inside strings are left alone.
const BIG_INT = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;
const BIG_MARK = "\u0000int:";

function parseExact(text: string): unknown {
  // The mark is written as a JSON escape (a raw control character is not valid JSON).
  const quoted = text.replace(BIG_INT, (m) => (m.startsWith('"') ? m : `"\\u0000int:${m}"`));
  return JSON.parse(quoted, (_k, v: unknown) => {
    if (typeof v === "string" && v.startsWith(BIG_MARK)) return BigInt(v.slice(BIG_MARK.length));
    return v;
  });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Big integers back to numbers (or decimal strings when a number would lose digits). */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function nanos(v: unknown, what: string, nullable: boolean): string | null {
  if ((v === null || v === undefined || v === 0 || v === 0n || v === "" || v === "0") && nullable) return null;
  if (typeof v === "bigint" && v > 0n) return v.toString();
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return BigInt(v).toString();
  if (typeof v === "string" && /^\d+$/.test(v) && !/^0+$/.test(v)) return BigInt(v).toString();
  throw new TraceDataError(`${what} must be a positive integer of nanoseconds`);
}

/** An id as hex: base64 bytes (what to_dict writes) or hex (MLflow 3.5.0 wrote hex). */
export function spanIdHexOf(v: unknown, what: string): string {
  if (typeof v === "string") {
    if (/^[0-9a-fA-F]{16}$/.test(v)) return v.toLowerCase();
    if (/^[A-Za-z0-9+/]{11}=?$/.test(v)) {
      const b = Buffer.from(v, "base64");
      if (b.length === 8) return b.toString("hex");
    }
  }
  throw new TraceDataError(`${what} must be an 8-byte span id (base64 or hex)`);
}

const STATUS: Record<string, TraceDataSpan["statusCode"]> = {
  STATUS_CODE_UNSET: "STATUS_CODE_UNSET",
  STATUS_CODE_OK: "STATUS_CODE_OK",
  STATUS_CODE_ERROR: "STATUS_CODE_ERROR",
  // MLflow 3.5.0's to_dict wrote SpanStatusCode values (from_dict still reads them).
  UNSET: "STATUS_CODE_UNSET",
  OK: "STATUS_CODE_OK",
  ERROR: "STATUS_CODE_ERROR",
};

function readSpan(raw: unknown, i: number): TraceDataSpan {
  const at = `spans[${i}]`;
  if (!isObj(raw)) throw new TraceDataError(`${at} must be an object`);
  if ("context" in raw) throw new TraceDataError(`${at} uses MLflow 2's span schema; upload spans as MLflow 3 writes them`);
  const attrsIn = raw.attributes ?? {};
  if (!isObj(attrsIn)) throw new TraceDataError(`${at}.attributes must be an object`);
  const enc = attributeEncoding(attrsIn);
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrsIn)) attributes[k] = decodeAttributeValue(plain(v), enc === "unknown" ? "json-text" : enc);
  const status = raw.status ?? {};
  if (!isObj(status)) throw new TraceDataError(`${at}.status must be an object`);
  const code = status.code ?? "STATUS_CODE_UNSET";
  if (typeof code !== "string" || !STATUS[code]) throw new TraceDataError(`${at}.status.code must be a status name such as STATUS_CODE_OK`);
  const events = raw.events ?? [];
  if (!Array.isArray(events)) throw new TraceDataError(`${at}.events must be a list`);
  const parent = raw.parent_span_id;
  return {
    spanIdHex: spanIdHexOf(raw.span_id, `${at}.span_id`),
    parentSpanIdHex: parent === null || parent === undefined || parent === "" ? null : spanIdHexOf(parent, `${at}.parent_span_id`),
    name: typeof raw.name === "string" ? raw.name : "",
    startTimeNs: nanos(raw.start_time_unix_nano, `${at}.start_time_unix_nano`, false)!,
    endTimeNs: nanos(raw.end_time_unix_nano, `${at}.end_time_unix_nano`, true),
    statusCode: STATUS[code]!,
    statusMessage: typeof status.message === "string" ? status.message : "",
    attributes,
    events: events.map((e, j) => {
      if (!isObj(e)) throw new TraceDataError(`${at}.events[${j}] must be an object`);
      const ea = e.attributes ?? {};
      if (!isObj(ea)) throw new TraceDataError(`${at}.events[${j}].attributes must be an object`);
      return {
        name: typeof e.name === "string" ? e.name : "",
        time_unix_nano: nanos(e.time_unix_nano, `${at}.events[${j}].time_unix_nano`, true) ?? "0",
        attributes: plain(ea) as Record<string, unknown>,
      };
    }),
  };
}

/** Parses traces.json text. Throws TraceDataError naming the first problem. */
export function parseTraceData(text: string): TraceDataSpan[] {
  let doc: unknown;
  try {
    doc = parseExact(text);
  } catch {
    throw new TraceDataError("trace data is not valid JSON");
  }
  if (!isObj(doc) || !Array.isArray(doc.spans)) throw new TraceDataError('trace data must be an object with a "spans" list');
  return doc.spans.map(readSpan);
}

/** A span as Vigil stores it, for writing traces.json. */
export interface StoredSpanForData {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startTimeNs: string;
  endTimeNs: string | null;
  statusCode: string;
  statusMessage: string;
  attributes: Record<string, unknown>;
  events: { name: string; time_unix_nano: string; attributes?: Record<string, unknown> }[];
}

const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const str = (v: unknown) => JSON.stringify(v);
const int = (digits: string) => (/^\d+$/.test(digits) ? String(BigInt(digits)) : "0");

/**
 * traces.json as MLflow's Python SDK writes it (Span.to_dict, json.dumps): attribute values as
 * JSON text, times as exact JSON integers (written by hand: JSON.stringify cannot print them).
 * Root spans first, then by start time, as MLflow orders a trace's spans.
 */
export function writeTraceData(spans: StoredSpanForData[]): string {
  const ordered = [...spans].sort((a, b) => {
    if ((a.parentSpanId === null) !== (b.parentSpanId === null)) return a.parentSpanId === null ? -1 : 1;
    const d = BigInt(a.startTimeNs) - BigInt(b.startTimeNs);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  const out = ordered.map((s) => {
    const attrs = { ...s.attributes };
    if (attrs[REQUEST_ID_ATTRIBUTE] === undefined) attrs[REQUEST_ID_ATTRIBUTE] = s.traceId;
    const attrText = Object.entries(attrs)
      .map(([k, v]) => `${str(k)}:${str(str(v ?? null))}`)
      .join(",");
    const events = s.events.map((e) => `{"name":${str(e.name)},"time_unix_nano":${int(e.time_unix_nano)},"attributes":${str(e.attributes ?? {})}}`).join(",");
    return (
      `{"trace_id":${str(b64(s.traceId.replace(/^tr-/, "")))},"span_id":${str(b64(s.spanId))},` +
      `"parent_span_id":${s.parentSpanId ? str(b64(s.parentSpanId)) : "null"},"name":${str(s.name)},` +
      `"start_time_unix_nano":${int(s.startTimeNs)},"end_time_unix_nano":${s.endTimeNs ? int(s.endTimeNs) : "null"},` +
      `"events":[${events}],"status":{"code":${str(s.statusCode)},"message":${str(s.statusMessage)}},` +
      `"attributes":{${attrText}}}`
    );
  });
  return `{"spans":[${out.join(",")}]}`;
}
