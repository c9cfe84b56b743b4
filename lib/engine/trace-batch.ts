// Loads many traces at once (rows, spans, assessments: three queries per chunk) into the same
// TraceData that loadTraceData builds one by one, so scorers see identical input either way.
import type Database from "better-sqlite3";
import { idChunks, IDS, selectIn } from "@/db/in-chunks";
import { traceDataFromRows, type TraceRow } from "@/lib/mlflow/convert";
import { assessmentRowsByTrace, spanRowsByTrace, traceRowsById } from "@/lib/mlflow/rows-by-trace";
import type { TraceData } from "@/lib/mlflow/types";

export function loadTraceRows(db: Database.Database, traceIds: readonly string[]): Map<string, TraceRow> {
  return traceRowsById(db, traceIds);
}

export interface TraceHead {
  experimentId: number;
  requestTime: number;
  traceMetadata: string;
}

const HEADS = `SELECT trace_id, experiment_id, request_time, trace_metadata FROM traces WHERE trace_id IN ${IDS}`;

/** What intake needs of a trace before scoring (experiment, time, metadata), without its content. */
export function loadTraceHeads(db: Database.Database, traceIds: readonly string[]): Map<string, TraceHead> {
  const out = new Map<string, TraceHead>();
  for (const [id, experimentId, requestTime, traceMetadata] of selectIn<[string, number, number, string]>(db, HEADS, traceIds, { raw: true })) {
    out.set(id, { experimentId, requestTime, traceMetadata });
  }
  return out;
}

/** TraceData by trace id; ids of traces that no longer exist are absent. */
export function loadTraceBatch(db: Database.Database, traceIds: readonly string[], rows?: Map<string, TraceRow>): Map<string, TraceData> {
  const out = new Map<string, TraceData>();
  const unique = [...new Set(traceIds)];
  const traceRows = rows ?? loadTraceRows(db, unique);
  const present = unique.filter((id) => traceRows.has(id));
  // One page of spans and assessments at a time, so a large batch never holds every raw row at once.
  for (const page of idChunks(present)) {
    const spansByTrace = spanRowsByTrace(db, page);
    const assessmentsByTrace = assessmentRowsByTrace(db, page);
    for (const id of page) {
      out.set(id, traceDataFromRows(traceRows.get(id)!, spansByTrace.get(id) ?? [], assessmentsByTrace.get(id) ?? []));
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
