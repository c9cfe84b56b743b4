import { UnsupportedMediaTypeError } from "@/lib/core";
import type { DecodedOtlp, OtlpFormat } from "./common";
import { decodeOtlpJson } from "./decode-json";
import { decodeOtlpProtobuf } from "./decode-protobuf";

/** Which OTLP/HTTP encoding a Content-Type names; anything else is a 415. */
export function otlpFormatOf(contentType: string | undefined): OtlpFormat {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (media === "application/x-protobuf" || media === "application/protobuf") return "protobuf";
  if (media === "application/json") return "json";
  throw new UnsupportedMediaTypeError(`Content-Type '${media || "(none)"}' is not supported; send OTLP as application/x-protobuf or application/json.`);
}

/**
 * Decodes an OTLP/HTTP ExportTraceServiceRequest body (already decompressed).
 * A body that cannot be read at all throws InvalidParameterError (400) and yields nothing;
 * a span that cannot be read is listed in `rejected` while the others are returned.
 */
export function decodeOtlpRequest(body: Buffer, contentType: string | undefined): DecodedOtlp {
  return otlpFormatOf(contentType) === "protobuf" ? decodeOtlpProtobuf(body) : decodeOtlpJson(body);
}
