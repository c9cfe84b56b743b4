// Row <-> protocol conversion: how Vigil's tables look as MLflow's JSON messages. Every REST
// answer and every scorer input goes through here, so the two cannot drift apart.
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { assessments, spans, traces } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import { toDuration, toRfc3339 } from "./proto-json";
import { assessmentRowsByTrace } from "./rows-by-trace";
import type { Assessment, AssessmentError, AssessmentSourceType, FeedbackValue, SpanData, TraceData, TraceInfoV3 } from "./types";

export type TraceRow = typeof traces.$inferSelect;
export type { SpanRow } from "./convert-spans";
import type { SpanRow } from "./convert-spans";
export type AssessmentRow = typeof assessments.$inferSelect;

export { spanToOtelJson, type OtelSpanJson } from "./convert-spans";

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === "") return fallback;
  // The stored defaults of metadata, tags, attributes and events: most rows hold them (each call
  // gets its own new object, as JSON.parse would give).
  if (text === "{}") return {} as T;
  if (text === "[]") return [] as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Trace metadata and tags are string maps in MLflow; anything else stored is stringified. */
function stringMap(text: string): Record<string, string> {
  const raw = parseJson<Record<string, unknown>>(text, {});
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

// An expectation given as `serialized_value` keeps its format; this marker distinguishes it from
// a plain JSON value in the single `value` column.
const SERIALIZED = "$mlflow_serialized_value";

export function assessmentFromRow(row: AssessmentRow): Assessment {
  const a: Assessment = {
    assessment_id: row.assessmentId,
    assessment_name: row.name,
    trace_id: row.traceId,
    source: { source_type: row.sourceType as AssessmentSourceType, source_id: row.sourceId },
    create_time: toRfc3339(row.createTime),
    last_update_time: toRfc3339(row.lastUpdateTime),
    metadata: stringMap(row.metadata),
    valid: row.valid,
  };
  if (row.spanId) a.span_id = row.spanId;
  const value = parseJson<FeedbackValue | undefined>(row.value, undefined);
  if (row.kind === "feedback") {
    a.feedback = {};
    if (value !== undefined) a.feedback.value = value;
    const error = parseJson<AssessmentError | null>(row.error, null);
    if (error) a.feedback.error = error;
  } else {
    const serialized = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[SERIALIZED] : undefined;
    a.expectation = serialized ? { serialized_value: serialized as { serialization_format: string; value: string } } : { value: value as FeedbackValue };
  }
  if (row.rationale !== null) a.rationale = row.rationale;
  if (row.overrides) a.overrides = row.overrides;
  return a;
}

/** The `value`/`error` columns for an assessment's feedback or expectation. */
export function assessmentValueColumns(a: Pick<Assessment, "feedback" | "expectation">): {
  kind: "feedback" | "expectation";
  value: string | null;
  error: string | null;
} {
  if (a.feedback) {
    return {
      kind: "feedback",
      value: a.feedback.value === undefined ? null : JSON.stringify(a.feedback.value),
      error: a.feedback.error ? JSON.stringify(a.feedback.error) : null,
    };
  }
  const e = a.expectation ?? {};
  if (e.serialized_value) return { kind: "expectation", value: JSON.stringify({ [SERIALIZED]: e.serialized_value }), error: null };
  return { kind: "expectation", value: e.value === undefined ? null : JSON.stringify(e.value), error: null };
}

export function traceInfoFromRow(row: TraceRow, assessmentRows: AssessmentRow[] = []): TraceInfoV3 {
  const info: TraceInfoV3 = {
    trace_id: row.traceId,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(row.experimentId) } },
    request_time: toRfc3339(row.requestTime),
    state: row.state,
    trace_metadata: stringMap(row.traceMetadata),
    tags: stringMap(row.tags),
    assessments: assessmentRows.map(assessmentFromRow),
  };
  if (row.clientRequestId !== null) info.client_request_id = row.clientRequestId;
  if (row.requestPreview !== null) info.request_preview = row.requestPreview;
  if (row.responsePreview !== null) info.response_preview = row.responsePreview;
  if (row.executionDurationMs !== null) info.execution_duration = toDuration(row.executionDurationMs);
  return info;
}

export function spanDataFromRow(row: SpanRow): SpanData {
  return {
    trace_id: row.traceId,
    span_id: row.spanId,
    parent_span_id: row.parentSpanId,
    name: row.name,
    span_type: row.spanType,
    start_time_ns: row.startTimeNs,
    end_time_ns: row.endTimeNs,
    status_code: row.statusCode as SpanData["status_code"],
    status_message: row.statusMessage,
    attributes: parseJson<Record<string, unknown>>(row.attributes, {}),
    events: parseJson<SpanData["events"]>(row.events, []),
  };
}

/** Assessments of many traces, grouped by trace and ordered by creation (then id). */
export function loadAssessmentsByTrace(db: Db, traceIds: readonly string[]): Map<string, AssessmentRow[]> {
  return assessmentRowsByTrace(db.$client, traceIds);
}

export function loadSpanRows(db: Db, traceId: string): SpanRow[] {
  return db.select().from(spans).where(eq(spans.traceId, traceId)).orderBy(asc(spans.startMs), asc(spans.spanId)).all();
}

export function traceDataFromRows(row: TraceRow, spanRows: SpanRow[], assessmentRows: AssessmentRow[]): TraceData {
  return {
    info: {
      ...traceInfoFromRow(row, assessmentRows),
      timestamp_ms: row.requestTime,
      execution_time_ms: row.executionDurationMs,
      end_time_ms: row.endTimeMs,
      name: row.name,
      request: parseJson<unknown>(row.request, null),
      response: parseJson<unknown>(row.response, null),
    },
    spans: spanRows.map(spanDataFromRow),
  };
}

/** A trace with its spans (decoded) and assessments: what scorers and the filter evaluator read. */
export function loadTraceData(db: Db, traceId: string): TraceData {
  const row = db.select().from(traces).where(eq(traces.traceId, traceId)).get();
  if (!row) throw new NotFoundError(`Trace with ID '${traceId}' not found.`);
  const assessmentRows = loadAssessmentsByTrace(db, [traceId]).get(traceId) ?? [];
  return traceDataFromRows(row, loadSpanRows(db, traceId), assessmentRows);
}
