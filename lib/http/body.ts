import type { IncomingMessage } from "node:http";
import zlib from "node:zlib";
import { InvalidParameterError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/core";
import type { ApiRequest } from "./types";

/** Reads a request body, refusing more than `limit` bytes before or after decompression. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new PayloadTooLargeError(`Request body of ${declared} bytes exceeds the limit of ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeError(`Request body exceeds the limit of ${limit} bytes.`);
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .toLowerCase()
    .trim();
  if (encoding === "identity" || encoding === "" || raw.length === 0) return raw;
  try {
    if (encoding === "gzip" || encoding === "x-gzip") return zlib.gunzipSync(raw, { maxOutputLength: limit });
    if (encoding === "deflate") {
      // Some clients send zlib-wrapped deflate (RFC 1950), others raw deflate: the header says
      // which, so the body is inflated once (a bomb is a 413, not a second pass and a 400).
      return isZlibHeader(raw) ? zlib.inflateSync(raw, { maxOutputLength: limit }) : zlib.inflateRawSync(raw, { maxOutputLength: limit });
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw new PayloadTooLargeError(`Decompressed body exceeds the limit of ${limit} bytes.`);
    }
    throw new InvalidParameterError(`Body is not valid ${encoding} data.`);
  }
  throw new UnsupportedMediaTypeError(`Content-Encoding '${encoding}' is not supported (use gzip or deflate).`);
}

/** RFC 1950: CM = 8 (deflate) in the low nibble and a header checksum divisible by 31. */
function isZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && b[0]! >> 4 <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

/** GET parameters arrive in the query string (repeated keys become lists); others as JSON bodies. */
export function readInput(req: ApiRequest): Record<string, unknown> {
  if (req.method === "GET" || (req.method === "DELETE" && req.body.length === 0)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of req.url.searchParams) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new InvalidParameterError("Request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InvalidParameterError("Request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}
