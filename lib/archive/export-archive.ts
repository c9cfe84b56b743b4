import fs from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { z } from "zod";
import { InvalidParameterError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { getExperimentRow } from "@/lib/experiments/experiment-json";
import { timeMs } from "@/lib/metrics/time-input";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import type { ArchivedTraceRow } from "./archive-record";
import { CONTENT_TYPES, EXPORT_FORMATS, PARQUET_SCHEMA, exportFilename, jsonlLine, parquetColumns } from "./export-format";

export const ExportArchiveInput = z.object({
  experimentId: experimentIdString,
  /** [start, end) over request_time; by default everything up to now. */
  start: timeMs.optional(),
  end: timeMs.optional(),
  format: z.enum(EXPORT_FORMATS).default("parquet"),
});
export type ExportArchiveInput = z.input<typeof ExportArchiveInput>;

export interface ExportResult {
  rows: number;
  bytes: number;
  format: (typeof EXPORT_FORMATS)[number];
  contentType: string;
  filename: string;
}

// Rows per page and per Parquet row group: bounded memory however large the archive.
const PAGE = 1000;

/** A ByteWriter that hands its bytes to the sink after each row group instead of keeping them. */
class SinkWriter extends ByteWriter {
  constructor(private readonly push: (chunk: Uint8Array) => Promise<void>) {
    super(1 << 20);
  }
  flush(): Promise<void> {
    const chunk = this.getBytes().slice();
    this.index = 0;
    return this.push(chunk);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

function* pages(ctx: Ctx, experimentId: number, start: number, end: number): Generator<ArchivedTraceRow[]> {
  const stmt = ctx.db.$client.prepare(
    `SELECT trace_id AS traceId, experiment_id AS experimentId, client_request_id AS clientRequestId, request_time AS requestTime,
       state, execution_duration_ms AS executionDurationMs, request, response, trace_metadata AS traceMetadata, tags,
       trace_location AS traceLocation, assessments, spans, name, end_time_ms AS endTimeMs, request_preview AS requestPreview,
       response_preview AS responsePreview, archived_at AS archivedAt
     FROM archived_traces
     WHERE experiment_id = @e AND request_time >= @start AND request_time < @end
       AND (request_time > @t OR (request_time = @t AND trace_id > @id))
     ORDER BY request_time, trace_id LIMIT ${PAGE}`,
  );
  let cursor = { t: Number.MIN_SAFE_INTEGER, id: "" };
  for (;;) {
    const rows = stmt.all({ e: experimentId, start, end, ...cursor }) as ArchivedTraceRow[];
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    cursor = { t: last.requestTime, id: last.traceId };
  }
}

/** The export's parameters with defaults applied and access checked, and its file name. */
export function resolveExport(ctx: Ctx, input: ExportArchiveInput) {
  const i = ExportArchiveInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  getExperimentRow(ctx.db, i.experimentId);
  const start = i.start ?? 0;
  const end = i.end ?? ctx.now() + 1;
  if (start >= end) throw new InvalidParameterError("'start' must be before 'end'.");
  return { experimentId: i.experimentId, format: i.format, start, end, filename: exportFilename(i.experimentId, start, end, i.format) };
}

/**
 * Writes an experiment's archived traces with request_time in [start, end) as Parquet or JSON
 * Lines, oldest first, page by page. `out` is a file path (created, or replaced, and closed) or a
 * Writable (written to and left open for its owner). Viewers may export what they may read.
 */
export async function exportArchive({ ctx, input, out }: VerbArgs<ExportArchiveInput> & { out: Writable | string }): Promise<ExportResult> {
  const i = resolveExport(ctx, input);
  const { start, end } = i;

  const sink = typeof out === "string" ? fs.createWriteStream(out) : out;
  let bytes = 0;
  const write = (chunk: Uint8Array | string) =>
    new Promise<void>((resolve, reject) => {
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (sink.write(chunk)) resolve();
      else {
        sink.once("drain", resolve);
        sink.once("error", reject);
      }
    });

  let rows = 0;
  try {
    if (i.format === "jsonl") {
      for (const page of pages(ctx, i.experimentId, start, end)) {
        await write(page.map(jsonlLine).join(""));
        rows += page.length;
      }
    } else {
      const pw = new ParquetWriter({ writer: new SinkWriter(write), schema: PARQUET_SCHEMA, createdBy: "vigil archive export" });
      for (const page of pages(ctx, i.experimentId, start, end)) {
        await pw.write({ columnData: parquetColumns(page), rowGroupSize: page.length });
        rows += page.length;
      }
      await pw.finish();
    }
  } catch (e) {
    if (typeof out === "string") sink.destroy();
    throw e;
  }
  if (typeof out === "string") {
    sink.end();
    await finished(sink);
  }
  return { rows, bytes, format: i.format, contentType: CONTENT_TYPES[i.format], filename: i.filename };
}
