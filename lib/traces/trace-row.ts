import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { traces } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import type { TraceRow } from "@/lib/mlflow/convert";

// Prepared once per connection: every trace and assessment route looks a trace up, and building
// and preparing the query each time cost more than running it (bench/remote.ts profile).
const byId = new WeakMap<Db, ReturnType<typeof prepare>>();
const prepare = (db: Db) =>
  db
    .select()
    .from(traces)
    .where(eq(traces.traceId, sql.placeholder("id")))
    .prepare();

/** The trace row or MLflow's RESOURCE_DOES_NOT_EXIST (404). */
export function requireTraceRow(db: Db, traceId: string): TraceRow {
  let q = byId.get(db);
  if (!q) byId.set(db, (q = prepare(db)));
  const row = q.get({ id: traceId });
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
