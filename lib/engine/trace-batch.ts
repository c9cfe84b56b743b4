// Loads many traces at once (rows, spans, assessments: three queries per chunk) into the same
// TraceData that loadTraceData builds one by one, so scorers see identical input either way.
import type Database from "better-sqlite3";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import { assessments, spans, traces } from "@/db/schema";
import { traceDataFromRows, type AssessmentRow, type SpanRow, type TraceRow } from "@/lib/mlflow/convert";
import type { TraceData } from "@/lib/mlflow/types";

const CHUNK = 500;

/**
 * Rows in drizzle's shape (camelCase keys, booleans mapped) from a raw prepared statement: the
 * engine reads tens of thousands of rows a second and drizzle's query builder costs more than
 * the reads. The column list comes from the drizzle table, so it follows the schema. Rows come
 * back as arrays (`raw()`) and become objects here, every one built with the same keys in the
 * same order: measured ~25% less CPU per loaded trace than better-sqlite3's own row objects.
 */
function reader<T>(table: Table, where: string, orderBy: string) {
  const cols = Object.entries(getTableColumns(table));
  const list = cols.map(([, c]) => `"${c.name}"`).join(", ");
  const keys = cols.map(([key]) => key);
  const maps = cols.map(([, c]) =>
    c.columnType !== "SQLiteText" && c.columnType !== "SQLiteInteger" && c.columnType !== "SQLiteReal" ? (v: unknown) => c.mapFromDriverValue(v) : null,
  );
  const cache = new WeakMap<Database.Database, Map<number, Database.Statement>>();
  return (db: Database.Database, ids: readonly string[]): T[] => {
    let byCount = cache.get(db);
    if (!byCount) cache.set(db, (byCount = new Map()));
    let st = byCount.get(ids.length);
    if (!st) {
      st = db.prepare(`SELECT ${list} FROM "${getTableName(table)}" WHERE ${where} IN (${ids.map(() => "?").join(",")}) ORDER BY ${orderBy}`).raw();
      byCount.set(ids.length, st);
    }
    const raw = st.all(...ids) as unknown[][];
    const rows: Record<string, unknown>[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const values = raw[i]!;
      const r: Record<string, unknown> = {};
      for (let j = 0; j < keys.length; j++) {
        const v = values[j];
        const map = maps[j];
        r[keys[j]!] = map && v !== null ? map(v) : v;
      }
      rows[i] = r;
    }
    return rows as T[];
  };
}

const readTraces = reader<TraceRow>(traces, "trace_id", "trace_id");
const readSpans = reader<SpanRow>(spans, "trace_id", "trace_id, start_ms, span_id");
// The order loadAssessmentsByTrace uses: creation, then id.
const readAssessments = reader<AssessmentRow>(assessments, "trace_id", "create_time, assessment_id");

function groupBy<T extends { traceId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.traceId);
    if (list) list.push(r);
    else out.set(r.traceId, [r]);
  }
  return out;
}

export function loadTraceRows(db: Database.Database, traceIds: readonly string[]): Map<string, TraceRow> {
  const out = new Map<string, TraceRow>();
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    for (const r of readTraces(db, traceIds.slice(i, i + CHUNK))) out.set(r.traceId, r);
  }
  return out;
}

export interface TraceHead {
  experimentId: number;
  requestTime: number;
  traceMetadata: string;
}

const headCache = new WeakMap<Database.Database, Map<number, Database.Statement>>();

/** What intake needs of a trace before scoring (experiment, time, metadata), without its content. */
export function loadTraceHeads(db: Database.Database, traceIds: readonly string[]): Map<string, TraceHead> {
  let byCount = headCache.get(db);
  if (!byCount) headCache.set(db, (byCount = new Map()));
  const out = new Map<string, TraceHead>();
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const ids = traceIds.slice(i, i + CHUNK);
    let st = byCount.get(ids.length);
    if (!st) {
      st = db.prepare(`SELECT trace_id, experiment_id, request_time, trace_metadata FROM traces WHERE trace_id IN (${ids.map(() => "?").join(",")})`).raw();
      byCount.set(ids.length, st);
    }
    for (const [id, experimentId, requestTime, traceMetadata] of st.all(...ids) as [string, number, number, string][]) {
      out.set(id, { experimentId, requestTime, traceMetadata });
    }
  }
  return out;
}

/** TraceData by trace id; ids of traces that no longer exist are absent. */
export function loadTraceBatch(db: Database.Database, traceIds: readonly string[], rows?: Map<string, TraceRow>): Map<string, TraceData> {
  const out = new Map<string, TraceData>();
  const unique = [...new Set(traceIds)];
  const traceRows = rows ?? loadTraceRows(db, unique);
  const present = unique.filter((id) => traceRows.has(id));
  for (let i = 0; i < present.length; i += CHUNK) {
    const chunk = present.slice(i, i + CHUNK);
    const spansByTrace = groupBy(readSpans(db, chunk));
    const assessmentsByTrace = groupBy(readAssessments(db, chunk));
    for (const id of chunk) {
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
