// The archive as files for a lakehouse: MLflow's archived-trace columns, in Parquet or JSON Lines.
// Parquet: request/response are strings (as in MLflow's table); the map, struct and list columns
// use Parquet's JSON logical type, which DuckDB reads as JSON and Spark as strings, reliably,
// where nested MAP/LIST encodings from JS writers are still read unevenly.
import type { SchemaElement } from "hyparquet";
import type { ColumnSource } from "hyparquet-writer";
import { toRfc3339 } from "@/lib/mlflow/proto-json";
import type { ArchivedTraceRow } from "./archive-record";

export const EXPORT_FORMATS = ["parquet", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  parquet: "application/vnd.apache.parquet",
  jsonl: "application/x-ndjson",
};

/** The exported columns, in order: MLflow's archived-trace table. */
export const EXPORT_COLUMNS = [
  "trace_id",
  "client_request_id",
  "request_time",
  "state",
  "execution_duration_ms",
  "request",
  "response",
  "trace_metadata",
  "tags",
  "trace_location",
  "assessments",
  "spans",
] as const;

const JSON_COLUMNS = ["trace_metadata", "tags", "trace_location", "assessments", "spans"] as const;

const utf8 = (name: string, required: boolean): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: required ? "REQUIRED" : "OPTIONAL",
});

export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: "root", num_children: EXPORT_COLUMNS.length },
  utf8("trace_id", true),
  utf8("client_request_id", false),
  {
    name: "request_time",
    type: "INT64",
    converted_type: "TIMESTAMP_MILLIS",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
    repetition_type: "REQUIRED",
  },
  utf8("state", true),
  { name: "execution_duration_ms", type: "INT64", repetition_type: "OPTIONAL" },
  utf8("request", false),
  utf8("response", false),
  ...JSON_COLUMNS.map((name): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "JSON", repetition_type: "REQUIRED" })),
];

/** One JSON Lines record: nested columns spliced in as stored (already JSON), times in RFC 3339. */
export function jsonlLine(r: ArchivedTraceRow): string {
  const head = JSON.stringify({
    trace_id: r.traceId,
    client_request_id: r.clientRequestId,
    request_time: toRfc3339(r.requestTime),
    state: r.state,
    execution_duration_ms: r.executionDurationMs,
    request: r.request,
    response: r.response,
  });
  return `${head.slice(0, -1)},"trace_metadata":${r.traceMetadata},"tags":${r.tags},"trace_location":${r.traceLocation},"assessments":${r.assessments},"spans":${r.spans}}\n`;
}

/** A page of archive rows as Parquet column data for PARQUET_SCHEMA. */
export function parquetColumns(rows: ArchivedTraceRow[]): ColumnSource[] {
  const col = (name: string, data: unknown[]): ColumnSource => ({ name, data: data as ColumnSource["data"] });
  return [
    col(
      "trace_id",
      rows.map((r) => r.traceId),
    ),
    col(
      "client_request_id",
      rows.map((r) => r.clientRequestId),
    ),
    col(
      "request_time",
      rows.map((r) => BigInt(r.requestTime)),
    ),
    col(
      "state",
      rows.map((r) => r.state),
    ),
    col(
      "execution_duration_ms",
      rows.map((r) => (r.executionDurationMs === null ? null : BigInt(r.executionDurationMs))),
    ),
    col(
      "request",
      rows.map((r) => r.request),
    ),
    col(
      "response",
      rows.map((r) => r.response),
    ),
    col(
      "trace_metadata",
      rows.map((r) => JSON.parse(r.traceMetadata)),
    ),
    col(
      "tags",
      rows.map((r) => JSON.parse(r.tags)),
    ),
    col(
      "trace_location",
      rows.map((r) => JSON.parse(r.traceLocation)),
    ),
    col(
      "assessments",
      rows.map((r) => JSON.parse(r.assessments)),
    ),
    col(
      "spans",
      rows.map((r) => JSON.parse(r.spans)),
    ),
  ];
}

/** e.g. vigil-archive-exp3-20250101T000000Z-20250201T000000Z.parquet */
export function exportFilename(experimentId: number, start: number, end: number, format: ExportFormat): string {
  const stamp = (ms: number) =>
    toRfc3339(ms)
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
  return `vigil-archive-exp${experimentId}-${stamp(start)}-${stamp(end)}.${format}`;
}
