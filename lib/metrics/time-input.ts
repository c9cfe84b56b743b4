import { z } from "zod";
import { parseRfc3339 } from "@/lib/mlflow/proto-json";

/** A point in time as ms since epoch: a number, a decimal string (query strings) or RFC 3339. */
export const timeMs = z.union([z.number(), z.string().trim()]).transform((v, c) => {
  const ms = typeof v === "number" ? v : /^-?\d+$/.test(v) ? Number(v) : parseRfc3339(v);
  if (ms === null || !Number.isSafeInteger(ms)) {
    c.addIssue({ code: "custom", message: "must be ms since epoch or an RFC 3339 timestamp" });
    return z.NEVER;
  }
  return ms;
});
