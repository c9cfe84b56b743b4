import { decodeMaybeJson } from "./previews";
import { genAiAttributes } from "./genai-semconv";
import { nsInRange } from "@/lib/core/time";
import type { IncomingSpan } from "./types";

// Span-level rules of ingestion: what a valid span is, and how its attributes are kept.

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;
const DIGITS = /^\d+$/;

// Root-span attributes that MLflow keeps as trace metadata rather than span data.
const METADATA_KEYS: Record<string, string> = {
  "mlflow.trace.session": "mlflow.trace.session",
  "mlflow.trace.user": "mlflow.trace.user",
  "mlflow.sourceRun": "mlflow.sourceRun",
  "session.id": "mlflow.trace.session",
  "user.id": "mlflow.trace.user",
  "ai.telemetry.metadata.sessionId": "mlflow.trace.session",
  "ai.telemetry.metadata.userId": "mlflow.trace.user",
};

export function validateSpan(s: IncomingSpan): string | null {
  if (!HEX32.test(s.traceIdHex) || ZERO.test(s.traceIdHex)) return "trace id must be 32 hex characters, not all zero";
  if (!HEX16.test(s.spanIdHex) || ZERO.test(s.spanIdHex)) return "span id must be 16 hex characters, not all zero";
  if (s.parentSpanIdHex !== null && !HEX16.test(s.parentSpanIdHex)) return "parent span id must be 16 hex characters";
  if (!DIGITS.test(s.startTimeNs) || ZERO.test(s.startTimeNs)) return "start time is missing";
  if (!nsInRange(s.startTimeNs) || (s.endTimeNs !== null && !nsInRange(s.endTimeNs))) return "span time is outside 1970-9999";
  if (s.endTimeNs !== null && (!DIGITS.test(s.endTimeNs) || BigInt(s.endTimeNs) < BigInt(s.startTimeNs))) {
    return "end time is before start time";
  }
  return null;
}

// One conversion for ingest and the archive (lib/core/time).
export { nsToMs } from "@/lib/core/time";

/**
 * How a writer encoded its mlflow.* values. Inside a process MLflow holds them as JSON text
 * (mlflow.spanType = "\"CHAIN\""), and plain OTLP exporters of MLflow spans send that text; MLflow's
 * own OTLP export (Span.to_otel_proto) and its server answers send decoded values ("CHAIN", a
 * kvlist). mlflow.spanType and mlflow.traceRequestId are always strings, so their first character
 * tells the two apart per span; without them each value is decoded if it reads as JSON.
 */
export type AttributeEncoding = "json-text" | "decoded" | "unknown";

export function attributeEncoding(attrs: Record<string, unknown>): AttributeEncoding {
  for (const key of ["mlflow.spanType", "mlflow.traceRequestId"]) {
    const v = attrs[key];
    if (typeof v === "string" && v.length > 0) return v.trimStart().startsWith('"') ? "json-text" : "decoded";
  }
  return "unknown";
}

export function decodeAttributeValue(v: unknown, enc: AttributeEncoding): unknown {
  if (enc === "decoded" || typeof v !== "string") return v;
  if (enc === "unknown") return decodeMaybeJson(v);
  try {
    return JSON.parse(v);
  } catch {
    // MLflow's own reader (_SpanAttributesRegistry.get) keeps a value that is not JSON as it is.
    return v;
  }
}

/** mlflow.* values decoded (whichever encoding the writer used); other attributes as sent. */
export function decodeAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const enc = attributeEncoding(attrs);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = k.startsWith("mlflow.") ? decodeAttributeValue(v, enc) : v;
  return Object.assign(out, genAiAttributes(out));
}

/**
 * decodeAttributes plus the JSON text to store. An MLflow value that parsed as JSON is spliced in
 * as sent instead of being serialised again: same stored value, a third less work per span.
 */
export function decodeAttributesToJson(attrs: Record<string, unknown>): { attributes: Record<string, unknown>; json: string } {
  const enc = attributeEncoding(attrs);
  const attributes: Record<string, unknown> = {};
  let json = "";
  for (const [k, v] of Object.entries(attrs)) {
    let text: string;
    if (k.startsWith("mlflow.") && typeof v === "string" && enc !== "decoded") {
      const decoded = decodeAttributeValue(v, enc);
      attributes[k] = decoded;
      text = decoded === v ? JSON.stringify(v) : v;
    } else {
      attributes[k] = v;
      text = JSON.stringify(v) ?? "null";
    }
    json += `${json ? "," : ""}${JSON.stringify(k)}:${text}`;
  }
  // What gen_ai.* says and MLflow's own attributes do not, as MLflow's server stores it.
  for (const [k, v] of Object.entries(genAiAttributes(attributes))) {
    attributes[k] = v;
    json += `${json ? "," : ""}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return { attributes, json: `{${json}}` };
}

export function metadataFrom(attrs: Record<string, unknown>): Record<string, string> {
  const md: Record<string, string> = {};
  for (const [k, target] of Object.entries(METADATA_KEYS)) {
    const v = attrs[k];
    if (v !== undefined && v !== null && v !== "") md[target] = typeof v === "string" ? String(decodeMaybeJson(v)) : String(v);
  }
  return md;
}
