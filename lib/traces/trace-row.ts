import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { traces } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import type { TraceRow } from "@/lib/mlflow/convert";

/** The trace row or MLflow's RESOURCE_DOES_NOT_EXIST (404). */
export function requireTraceRow(db: Db, traceId: string): TraceRow {
  const row = db.select().from(traces).where(eq(traces.traceId, traceId)).get();
  if (!row) throw new NotFoundError(`Trace with ID '${traceId}' not found.`);
  return row;
}

/** Trace tags are a JSON object of strings; a damaged value counts as no tags. */
export function parseTags(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}
