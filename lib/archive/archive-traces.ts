import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { idChunks } from "@/db/in-chunks";
import { archivedTraces, traces } from "@/db/schema";
import { loadAssessmentsByTrace, loadSpanRows } from "@/lib/mlflow/convert";
import { archiveRowFromHot } from "./archive-record";

/**
 * Copies (or refreshes) the archive rows of the given traces that are complete in the hot store.
 * Returns the ids it archived; missing and incomplete traces are left out. Run it inside the
 * caller's transaction: the queue bookkeeping and the copy must commit together.
 */
export function archiveTraces(db: Db, traceIds: string[], now: number): string[] {
  const done: string[] = [];
  for (const chunk of idChunks(traceIds)) {
    const rows = db
      .select()
      .from(traces)
      .where(inArray(traces.traceId, chunk))
      .all()
      .filter((t) => t.completedAt !== null);
    const byTrace = loadAssessmentsByTrace(
      db,
      rows.map((t) => t.traceId),
    );
    for (const t of rows) {
      const row = archiveRowFromHot(t, loadSpanRows(db, t.traceId), byTrace.get(t.traceId) ?? [], now);
      const { traceId: _key, ...set } = row;
      db.insert(archivedTraces).values(row).onConflictDoUpdate({ target: archivedTraces.traceId, set }).run();
      done.push(t.traceId);
    }
  }
  return done;
}
