import type { RejectedSpan } from "../types";
import type { OtlpFormat } from "./common";
import { otlpTypes } from "./proto-root";

// How many rejected spans are named one by one; the rest are counted, to keep answers small.
const MAX_LISTED = 50;

/** The partial-success message: which spans were rejected and why, so the sender can fix them. */
export function rejectionMessage(rejected: RejectedSpan[]): string {
  if (rejected.length === 0) return "";
  const listed = rejected.slice(0, MAX_LISTED).map((r) => `trace ${r.traceId || "(missing)"} span ${r.spanId || "(missing)"}: ${r.reason}`);
  const more = rejected.length > MAX_LISTED ? `; and ${rejected.length - MAX_LISTED} more` : "";
  return `${rejected.length} span(s) rejected: ${listed.join("; ")}${more}`;
}

/** ExportTraceServiceResponse in the request's own encoding, with partial success when spans were rejected. */
export function encodeExportResponse(format: OtlpFormat, rejected: RejectedSpan[]): { body: Buffer | string; contentType: string } {
  const partial = rejected.length ? { rejectedSpans: rejected.length, errorMessage: rejectionMessage(rejected) } : undefined;
  if (format === "json") {
    // proto3 JSON writes int64 as a string.
    const json = partial ? { partialSuccess: { ...partial, rejectedSpans: String(partial.rejectedSpans) } } : {};
    return { body: JSON.stringify(json), contentType: "application/json" };
  }
  const { response } = otlpTypes();
  const bytes = response.encode(response.fromObject(partial ? { partialSuccess: partial } : {})).finish();
  return { body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: "application/x-protobuf" };
}

/** Reads an ExportTraceServiceResponse back (tests and Vigil's own OTLP clients use it). */
export function decodeExportResponse(body: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const { response } = otlpTypes();
  const msg = response.toObject(response.decode(body), { longs: Number, defaults: true }) as {
    partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
  };
  return { rejectedSpans: msg.partialSuccess?.rejectedSpans ?? 0, errorMessage: msg.partialSuccess?.errorMessage ?? "" };
}
