// The traces a job covers, read in (request_time, trace_id) order from a keyset cursor, so a
// resumed job continues after the last batch it committed and never sees a trace twice.
import { and, asc, count, eq, gte, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { traces } from "@/db/schema";
import { compileFilterToSql, parseFilter } from "@/lib/mlflow/filter";
import type { JobParams, JobRow } from "./job-params";

/** `from` overrides the window's start: the one lower bound SQLite uses to seek in the index. */
export function selectionWhere(kind: JobRow["kind"], experimentId: number, p: JobParams, from: number | null = p.startMs): SQL {
  const clauses: (SQL | undefined)[] = [eq(traces.experimentId, experimentId), isNotNull(traces.completedAt)];
  if (from !== null) clauses.push(gte(traces.requestTime, from));
  if (p.endMs !== null) clauses.push(lt(traces.requestTime, p.endMs));
  if (p.traceIds) clauses.push(inArray(traces.traceId, p.traceIds));
  if (p.filterString) clauses.push(compileFilterToSql(parseFilter(p.filterString)));
  // A backfill samples as online scoring does, which leaves evaluation-run traces alone.
  if (kind === "backfill") clauses.push(sql`json_extract(${traces.traceMetadata}, '$."mlflow.sourceRun"') IS NULL`);
  return and(...clauses)!;
}

export function countSelection(db: Db, kind: JobRow["kind"], experimentId: number, p: JobParams): number {
  return (
    db
      .select({ n: count() })
      .from(traces)
      .where(selectionWhere(kind, experimentId, p))
      .get()?.n ?? 0
  );
}

export interface SelectedTrace {
  traceId: string;
  requestTime: number;
}

export function nextTraces(db: Db, job: Pick<JobRow, "kind" | "experimentId" | "cursorTs" | "cursorTraceId">, p: JobParams, limit: number): SelectedTrace[] {
  const resume = job.cursorTs !== null && job.cursorTraceId !== null;
  // With two lower bounds (the window's start and the cursor), SQLite may seek to the start and
  // skip every row already scanned, which makes a whole scan quadratic: give it one, the larger.
  const from = resume ? Math.max(job.cursorTs!, p.startMs ?? -Infinity) : p.startMs;
  const after = resume ? sql`(${traces.requestTime}, ${traces.traceId}) > (${job.cursorTs}, ${job.cursorTraceId})` : undefined;
  return db
    .select({ traceId: traces.traceId, requestTime: traces.requestTime })
    .from(traces)
    .where(and(selectionWhere(job.kind, job.experimentId, p, from), after))
    .orderBy(asc(traces.requestTime), asc(traces.traceId))
    .limit(limit)
    .all();
}
