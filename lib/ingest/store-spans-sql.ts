import type Database from "better-sqlite3";

// Prepared once per connection: ingestion runs these thousands of times a second.

// How many child spans are searched for a request/response when the root span has none.
export const CHILDREN_SEARCHED = 20;

export interface Stmts {
  getTrace: Database.Statement;
  insertTrace: Database.Statement;
  touchTrace: Database.Statement;
  setRoot: Database.Statement;
  setRequestResponse: Database.Statement;
  upsertSpan: Database.Statement;
  spanAttrs: Database.Statement;
  childAttrs: Database.Statement;
}

export interface TraceRow {
  experiment_id: number;
  root_span_id: string | null;
  lacks_io: 0 | 1;
}

const cache = new WeakMap<Database.Database, Stmts>();
export function stmts(sqlite: Database.Database): Stmts {
  let s = cache.get(sqlite);
  if (s) return s;
  s = {
    getTrace: sqlite.prepare("SELECT experiment_id, root_span_id, (request IS NULL OR response IS NULL) AS lacks_io FROM traces WHERE trace_id = ?"),
    // A trace first seen in this batch is written once, with everything the batch says about it.
    insertTrace: sqlite.prepare(
      `INSERT INTO traces (trace_id, experiment_id, name, root_span_id, state, request_time, end_time_ms,
         execution_duration_ms, completed_at, request, response, request_preview, response_preview, trace_metadata, tags,
         last_span_at, span_count)
       VALUES (@traceId, @experimentId, @name, @rootSpanId, @state, @requestTime, @endTimeMs, @durationMs, @completedAt,
         @request, @response, @requestPreview, @responsePreview, @metadata, '{}', @now, @spanCount)`,
    ),
    // Counting the trace's spans once per batch is exact even when a span is sent twice.
    touchTrace: sqlite.prepare(
      `UPDATE traces SET request_time = MIN(request_time, @requestTime), last_span_at = @now,
         span_count = (SELECT COUNT(*) FROM spans WHERE trace_id = @traceId) WHERE trace_id = @traceId`,
    ),
    setRoot: sqlite.prepare(
      `UPDATE traces SET name = @name, root_span_id = @rootSpanId, state = @state, request_time = @requestTime,
         end_time_ms = @endTimeMs, execution_duration_ms = @durationMs, completed_at = COALESCE(completed_at, @completedAt),
         request = @request, response = @response, request_preview = @requestPreview, response_preview = @responsePreview,
         trace_metadata = json_patch(trace_metadata, @metadata)
       WHERE trace_id = @traceId`,
    ),
    setRequestResponse: sqlite.prepare(
      `UPDATE traces SET request = @request, response = @response, request_preview = @requestPreview,
         response_preview = @responsePreview WHERE trace_id = @traceId`,
    ),
    // Positional parameters: binding by name costs measurably more on the hottest statement.
    upsertSpan: sqlite.prepare(
      `INSERT INTO spans (trace_id, span_id, parent_span_id, name, span_type, kind, start_time_ns, end_time_ns,
         start_ms, end_ms, status_code, status_message, attributes, events)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (trace_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id, name = excluded.name,
         span_type = excluded.span_type, kind = excluded.kind, start_time_ns = excluded.start_time_ns,
         end_time_ns = excluded.end_time_ns, start_ms = excluded.start_ms, end_ms = excluded.end_ms,
         status_code = excluded.status_code, status_message = excluded.status_message,
         attributes = excluded.attributes, events = excluded.events`,
    ),
    spanAttrs: sqlite.prepare("SELECT attributes FROM spans WHERE trace_id = ? AND span_id = ?"),
    childAttrs: sqlite.prepare(`SELECT attributes FROM spans WHERE trace_id = ? AND span_id != ? ORDER BY start_ms LIMIT ${CHILDREN_SEARCHED}`),
  };
  cache.set(sqlite, s);
  return s;
}
