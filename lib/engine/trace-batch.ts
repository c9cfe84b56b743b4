// Loads many traces at once (rows, spans, assessments: three queries per chunk) into the same
// TraceData that loadTraceData builds one by one, so scorers see identical input either way.
import { asc, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { spans, traces } from "@/db/schema";
import { loadAssessmentsByTrace, traceDataFromRows, type SpanRow, type TraceRow } from "@/lib/mlflow/convert";
import type { TraceData } from "@/lib/mlflow/types";

const CHUNK = 500;

export function loadTraceRows(db: Db, traceIds: readonly string[]): Map<string, TraceRow> {
  const out = new Map<string, TraceRow>();
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const rows = db.select().from(traces).where(inArray(traces.traceId, traceIds.slice(i, i + CHUNK) as string[])).all();
    for (const r of rows) out.set(r.traceId, r);
  }
  return out;
}

/** TraceData by trace id; ids of traces that no longer exist are absent. */
export function loadTraceBatch(db: Db, traceIds: readonly string[], rows?: Map<string, TraceRow>): Map<string, TraceData> {
  const out = new Map<string, TraceData>();
  const unique = [...new Set(traceIds)];
  const traceRows = rows ?? loadTraceRows(db, unique);
  const present = unique.filter((id) => traceRows.has(id));
  const assessmentsByTrace = loadAssessmentsByTrace(db, present);
  for (let i = 0; i < present.length; i += CHUNK) {
    const chunk = present.slice(i, i + CHUNK);
    const spanRows = db.select().from(spans).where(inArray(spans.traceId, chunk)).orderBy(asc(spans.traceId), asc(spans.startMs), asc(spans.spanId)).all();
    const byTrace = new Map<string, SpanRow[]>();
    for (const s of spanRows) {
      const list = byTrace.get(s.traceId);
      if (list) list.push(s);
      else byTrace.set(s.traceId, [s]);
    }
    for (const id of chunk) {
      out.set(id, traceDataFromRows(traceRows.get(id)!, byTrace.get(id) ?? [], assessmentsByTrace.get(id) ?? []));
    }
  }
  return out;
}

/** Evaluation-run traces (metadata mlflow.sourceRun) are not monitored, as in MLflow. */
export function isEvaluationTrace(row: Pick<TraceRow, "traceMetadata">): boolean {
  if (!row.traceMetadata.includes("mlflow.sourceRun")) return false;
  try {
    const md = JSON.parse(row.traceMetadata) as Record<string, unknown>;
    // MLflow's own query: `metadata.mlflow.sourceRun IS NULL` selects the monitored traces.
    return md["mlflow.sourceRun"] !== undefined && md["mlflow.sourceRun"] !== null;
  } catch {
    return false;
  }
}
