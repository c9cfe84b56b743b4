// Trace search page tokens: opaque base64url JSON holding the sort-key values of the last trace
// served (keyset pagination), so a page survives restarts and new traces arriving meanwhile
// neither shift nor repeat results. The query fingerprint stops a token being reused elsewhere.
import { createHash } from "node:crypto";
import { z } from "zod";
import { InvalidParameterError } from "@/lib/core";

export type KeyValue = string | number | null;

const TokenSchema = z.object({
  v: z.literal(1),
  q: z.string(),
  k: z.array(z.union([z.string(), z.number(), z.null()])),
});

export function queryFingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

export function encodePageToken(fingerprint: string, keys: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ v: 1, q: fingerprint, k: keys })).toString("base64url");
}

/** The last page's sort keys; a malformed token or one from another search is a 400. */
export function decodePageToken(token: string, fingerprint: string, keyCount: number): KeyValue[] {
  let parsed: z.infer<typeof TokenSchema> | undefined;
  try {
    const r = TokenSchema.safeParse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    if (r.success) parsed = r.data;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.k.length !== keyCount) {
    throw new InvalidParameterError("Invalid page_token: it is not a token this server returned.");
  }
  if (parsed.q !== fingerprint) {
    throw new InvalidParameterError("Invalid page_token: it belongs to a search with other locations, filter or order_by.");
  }
  return parsed.k;
}
