import { describe, expect, it } from "vitest";
import type { ArchivedTraceRow } from "./archive-record";
import { EXPORT_COLUMNS, PARQUET_SCHEMA, exportFilename, jsonlLine } from "./export-format";

const row: ArchivedTraceRow = {
  traceId: "tr-1",
  experimentId: 4,
  clientRequestId: null,
  requestTime: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
  state: "OK",
  executionDurationMs: 1840,
  request: '{"q":"hi \\"there\\""}',
  response: null,
  traceMetadata: '{"mlflow.trace.session":"s"}',
  tags: "{}",
  traceLocation: '{"type":"MLFLOW_EXPERIMENT","mlflow_experiment":{"experiment_id":"4"}}',
  assessments: '[{"assessment_name":"a","feedback":{"value":1}}]',
  spans: "[]",
  name: "agent",
  endTimeMs: null,
  requestPreview: null,
  responsePreview: null,
  archivedAt: 0,
};

describe("jsonlLine", () => {
  it("writes MLflow's columns in order, nested columns as JSON and strings as strings", () => {
    const line = jsonlLine(row);
    expect(line.endsWith("}\n")).toBe(true);
    const o = JSON.parse(line);
    expect(Object.keys(o)).toEqual([...EXPORT_COLUMNS]);
    expect(o).toMatchObject({
      request_time: "2025-01-02T03:04:05.006Z",
      client_request_id: null,
      execution_duration_ms: 1840,
      request: '{"q":"hi \\"there\\""}',
      trace_metadata: { "mlflow.trace.session": "s" },
      trace_location: { mlflow_experiment: { experiment_id: "4" } },
      assessments: [{ assessment_name: "a", feedback: { value: 1 } }],
      spans: [],
    });
  });
});

describe("exportFilename", () => {
  it.each([
    [3, Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1), "parquet", "vigil-archive-exp3-20250101T000000Z-20250201T000000Z.parquet"],
    [0, 0, Date.UTC(2025, 5, 30, 23, 59, 59, 999), "jsonl", "vigil-archive-exp0-19700101T000000Z-20250630T235959Z.jsonl"],
  ] as const)("experiment %i [%i, %i) as %s → %s", (exp, start, end, format, name) => {
    expect(exportFilename(exp, start, end, format)).toBe(name);
  });
});

describe("PARQUET_SCHEMA", () => {
  it("declares one leaf per exported column, in order", () => {
    expect(PARQUET_SCHEMA[0]).toMatchObject({ name: "root", num_children: EXPORT_COLUMNS.length });
    expect(PARQUET_SCHEMA.slice(1).map((e) => e.name)).toEqual([...EXPORT_COLUMNS]);
  });
});
