import type { IncomingSpan, RejectedSpan } from "../types";

export type OtlpFormat = "protobuf" | "json";

/** What one OTLP export request holds: spans to store, and spans that could not even be read. */
export interface DecodedOtlp {
  format: OtlpFormat;
  spans: IncomingSpan[];
  rejected: RejectedSpan[];
}

/** A problem with one span (not the whole request): it is reported, the others go on. */
export class SpanDecodeError extends Error {}

const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] as const;
const SPAN_KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"] as const;

/** Status.code 0/1/2 → UNSET/OK/ERROR. OTLP JSON requires integers; enum names are tolerated. */
export function statusCodeOf(v: unknown): IncomingSpan["statusCode"] {
  if (typeof v === "number") return STATUS_CODES[v] ?? "STATUS_CODE_UNSET";
  if (typeof v === "string") {
    if (/^\d+$/.test(v)) return STATUS_CODES[Number(v)] ?? "STATUS_CODE_UNSET";
    return (STATUS_CODES as readonly string[]).includes(v) ? (v as IncomingSpan["statusCode"]) : "STATUS_CODE_UNSET";
  }
  return "STATUS_CODE_UNSET";
}

export function spanKindOf(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < SPAN_KINDS.length) return v;
  if (typeof v === "string") {
    const i = (SPAN_KINDS as readonly string[]).indexOf(v);
    if (i >= 0) return i;
    if (/^[0-5]$/.test(v)) return Number(v);
  }
  return 0;
}

/** Integers that fit a JS number stay numbers; larger int64 values keep every digit as a string. */
export function int64Value(digits: string): number | string {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : digits;
}
