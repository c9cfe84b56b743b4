// A hot-store trace as a row of the archive (MLflow's archived-trace columns), and back. Pure:
// the archive tick and the round-trip test share it, so what is archived is provably complete.
import type { archivedTraces } from "@/db/schema";
import { nsToMs } from "@/lib/core/time";
import {
  assessmentFromRow,
  assessmentValueColumns,
  traceDataFromRows,
  traceInfoFromRow,
  type AssessmentRow,
  type SpanRow,
  type TraceRow,
} from "@/lib/mlflow/convert";
import { parseRfc3339 } from "@/lib/mlflow/proto-json";
import type { Assessment, SpanData, TraceData } from "@/lib/mlflow/types";

export type ArchivedTraceRow = typeof archivedTraces.$inferSelect;

/** MLflow's archived span record, plus the OpenTelemetry kind and span type it would lose. */
export interface ArchivedSpan {
  span_id: string;
  trace_id: string;
  parent_id: string | null;
  /** Nanoseconds since epoch as decimal strings: exact for every JSON reader. */
  start_time: string;
  end_time: string | null;
  status_code: string;
  status_message: string;
  name: string;
  attributes: Record<string, unknown>;
  events: SpanData["events"];
  kind: string;
  span_type: string | null;
}

/** MLflow's Assessment record plus the engine provenance that rollups split by. */
export type ArchivedAssessment = Assessment & { scorer_id: string | null; scorer_version: number | null; run_id: string | null };

const SPAN_KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];

function parse<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function archivedSpanFromRow(r: SpanRow): ArchivedSpan {
  return {
    span_id: r.spanId,
    trace_id: r.traceId,
    parent_id: r.parentSpanId,
    start_time: r.startTimeNs,
    end_time: r.endTimeNs,
    status_code: r.statusCode,
    status_message: r.statusMessage,
    name: r.name,
    attributes: parse<Record<string, unknown>>(r.attributes, {}),
    events: parse<SpanData["events"]>(r.events, []),
    kind: SPAN_KINDS[r.kind] ?? SPAN_KINDS[0]!,
    span_type: r.spanType,
  };
}

export function archivedAssessmentFromRow(r: AssessmentRow): ArchivedAssessment {
  return { ...assessmentFromRow(r), scorer_id: r.scorerId, scorer_version: r.scorerVersion, run_id: r.runId };
}

/** The archive row of a trace with its spans and assessments, as MLflow's protocol shows them. */
export function archiveRowFromHot(trace: TraceRow, spanRows: SpanRow[], assessmentRows: AssessmentRow[], archivedAt: number): ArchivedTraceRow {
  const info = traceInfoFromRow(trace);
  return {
    traceId: trace.traceId,
    experimentId: trace.experimentId,
    clientRequestId: trace.clientRequestId,
    requestTime: trace.requestTime,
    state: trace.state,
    executionDurationMs: trace.executionDurationMs,
    request: trace.request,
    response: trace.response,
    traceMetadata: JSON.stringify(info.trace_metadata),
    tags: JSON.stringify(info.tags),
    traceLocation: JSON.stringify(info.trace_location),
    assessments: JSON.stringify(assessmentRows.map(archivedAssessmentFromRow)),
    spans: JSON.stringify(spanRows.map(archivedSpanFromRow)),
    name: trace.name,
    endTimeMs: trace.endTimeMs,
    requestPreview: trace.requestPreview,
    responsePreview: trace.responsePreview,
    archivedAt,
  };
}

function spanRowFromArchived(s: ArchivedSpan): SpanRow {
  const kind = SPAN_KINDS.indexOf(s.kind);
  return {
    traceId: s.trace_id,
    spanId: s.span_id,
    parentSpanId: s.parent_id,
    name: s.name,
    spanType: s.span_type,
    kind: kind < 0 ? 0 : kind,
    startTimeNs: s.start_time,
    endTimeNs: s.end_time,
    startMs: nsToMs(s.start_time),
    endMs: s.end_time === null ? null : nsToMs(s.end_time),
    statusCode: s.status_code,
    statusMessage: s.status_message,
    attributes: JSON.stringify(s.attributes),
    events: JSON.stringify(s.events),
  };
}

function assessmentRowFromArchived(a: ArchivedAssessment, experimentId: number): AssessmentRow {
  return {
    assessmentId: a.assessment_id,
    traceId: a.trace_id,
    experimentId,
    name: a.assessment_name,
    spanId: a.span_id ?? null,
    sourceType: a.source.source_type,
    sourceId: a.source.source_id,
    ...assessmentValueColumns(a),
    rationale: a.rationale ?? null,
    metadata: JSON.stringify(a.metadata ?? {}),
    overrides: a.overrides ?? null,
    valid: a.valid ?? true,
    createTime: parseRfc3339(a.create_time) ?? 0,
    lastUpdateTime: parseRfc3339(a.last_update_time) ?? 0,
    scorerId: a.scorer_id,
    scorerVersion: a.scorer_version,
    runId: a.run_id,
  };
}

/**
 * The hot-store rows an archive row stands for. The trace's ingest bookkeeping (completion and
 * last-span times, span count) is not archived; it is rebuilt as "complete when it ended".
 */
export function hotRowsFromArchive(row: ArchivedTraceRow): { trace: TraceRow; spans: SpanRow[]; assessments: AssessmentRow[] } {
  const spans = parse<ArchivedSpan[]>(row.spans, []).map(spanRowFromArchived);
  const assessments = parse<ArchivedAssessment[]>(row.assessments, []).map((a) => assessmentRowFromArchived(a, row.experimentId));
  const trace: TraceRow = {
    traceId: row.traceId,
    experimentId: row.experimentId,
    clientRequestId: row.clientRequestId,
    name: row.name,
    requestTime: row.requestTime,
    executionDurationMs: row.executionDurationMs,
    endTimeMs: row.endTimeMs,
    state: row.state as TraceRow["state"],
    requestPreview: row.requestPreview,
    responsePreview: row.responsePreview,
    request: row.request,
    response: row.response,
    traceMetadata: row.traceMetadata,
    tags: row.tags,
    rootSpanId: spans.find((s) => s.parentSpanId === null)?.spanId ?? null,
    completedAt: row.endTimeMs ?? row.requestTime,
    lastSpanAt: row.endTimeMs ?? row.requestTime,
    spanCount: spans.length,
    // Restored rows go through the completion triggers, as before.
    completionRecorded: 0,
  };
  return { trace, spans, assessments };
}

/** An archived trace as MLflow's TraceData: the same shape loadTraceData gives for a hot trace. */
export function traceDataFromArchive(row: ArchivedTraceRow): TraceData {
  const { trace, spans, assessments } = hotRowsFromArchive(row);
  return traceDataFromRows(trace, spans, assessments);
}
