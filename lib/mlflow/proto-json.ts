// How MLflow's protobuf messages look in JSON (google.protobuf.json_format as MLflow calls it):
// Timestamps are RFC 3339 strings, Durations are "<seconds>s" strings, 64-bit integers may be
// sent as strings by clients, and enums travel by name.
import { z } from "zod";
import { MAX_TIME_MS, parseRfc3339 } from "@/lib/core/time";

/** google.protobuf.Timestamp in JSON, at millisecond precision (what Vigil stores). */
export function toRfc3339(ms: number): string {
  // A stored value outside RFC 3339's range (written before ingest checked it) prints clamped
  // instead of throwing, so one bad row never breaks a page.
  return new Date(Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TIME_MS) : 0).toISOString();
}

export { parseRfc3339 };

/** google.protobuf.Duration in JSON: "1.840s" (3 fractional digits, as protobuf prints ms values). */
export function toDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  const secs = Math.floor(abs / 1000);
  const frac = abs % 1000;
  return frac === 0 ? `${sign}${secs}s` : `${sign}${secs}.${String(frac).padStart(3, "0")}s`;
}

/** Parses "1.5s", "2s", "0.000001s" to whole milliseconds (rounded). */
export function parseDuration(s: string): number | null {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s.trim());
  if (!m) return null;
  const frac = (m[3] ?? "").padEnd(9, "0");
  const ms = Number(m[2]) * 1000 + Math.round(Number(frac) / 1_000_000);
  return m[1] ? -ms : ms;
}

/** An int64 field: JSON number or decimal string (proto3 JSON prints int64 as a string). */
export const int64 = z
  .union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, "must be an integer")
      .transform((v) => Number(v)),
  ])
  .refine((n) => Number.isSafeInteger(n), "is out of range");

/**
 * A protobuf bool in a GET query string: "true"/"false" in any case (MLflow's Python client
 * writes Python's True/False; its server's _assert_bool accepts any case).
 */
export const protoBool = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false"], { message: "must be true or false" }))
    .transform((v) => v === "true"),
]);

/** A repeated field from a query string is a string when given once and a list when repeated. */
export const repeatedString = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** MLflow experiment ids are decimal strings ("0" is Default); numbers are tolerated. */
export const experimentIdString = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+$/.test(v) && Number.isSafeInteger(Number(v)), "must be a decimal experiment id")
  .transform((v) => Number(v));
