import type Database from "better-sqlite3";
import { latencyBinSql } from "@/lib/core/latency-histogram";

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
  completionOutbox: Database.Statement;
  completionTraffic: Database.Statement;
  completionLatency: Database.Statement;
  completionSessions: Database.Statement;
}

export interface TraceRow {
  experiment_id: number;
  root_span_id: string | null;
  lacks_io: 0 | 1;
  completed: 0 | 1;
}

// The traces this batch completed, as a JSON array bound once: `IN (SELECT value FROM json_each(?))`.
const COMPLETED = "trace_id IN (SELECT value FROM json_each(?))";

const cache = new WeakMap<Database.Database, Stmts>();
export function stmts(sqlite: Database.Database): Stmts {
  let s = cache.get(sqlite);
  if (s) return s;
  s = {
    getTrace: sqlite.prepare(
      "SELECT experiment_id, root_span_id, (request IS NULL OR response IS NULL) AS lacks_io, completed_at IS NOT NULL AS completed FROM traces WHERE trace_id = ?",
    ),
    // A trace first seen in this batch is written once, with everything the batch says about it.
    insertTrace: sqlite.prepare(
      `INSERT INTO traces (trace_id, experiment_id, name, root_span_id, state, request_time, end_time_ms,
         execution_duration_ms, completed_at, request, response, request_preview, response_preview, trace_metadata, tags,
         last_span_at, span_count, completion_recorded)
       VALUES (@traceId, @experimentId, @name, @rootSpanId, @state, @requestTime, @endTimeMs, @durationMs, @completedAt,
         @request, @response, @requestPreview, @responsePreview, @metadata, @tags, @now, @spanCount, @completedAt IS NOT NULL)`,
    ),
    // Counting the trace's spans once per batch is exact even when a span is sent twice.
    touchTrace: sqlite.prepare(
      `UPDATE traces SET request_time = MIN(request_time, @requestTime), last_span_at = @now,
         span_count = (SELECT COUNT(*) FROM spans WHERE trace_id = @traceId),
         tags = CASE WHEN @tags = '{}' THEN tags ELSE json_patch(tags, @tags) END
       WHERE trace_id = @traceId`,
    ),
    setRoot: sqlite.prepare(
      `UPDATE traces SET name = @name, root_span_id = @rootSpanId, state = @state, request_time = @requestTime,
         end_time_ms = @endTimeMs, execution_duration_ms = @durationMs, completed_at = COALESCE(completed_at, @completedAt),
         completion_recorded = CASE WHEN completed_at IS NULL AND @completedAt IS NOT NULL THEN 1 ELSE completion_recorded END,
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
    // What the completion triggers (migrations 0004, 0024, 0029) write per trace, once per batch for
    // the traces it completed (marked completion_recorded, so the triggers skip them): the same
    // rows, counts, bins and session joins.
    completionOutbox: sqlite.prepare(
      `INSERT INTO engine_completions (trace_id, experiment_id, completed_at)
       SELECT t.trace_id, t.experiment_id, t.completed_at FROM json_each(?) j JOIN traces t ON t.trace_id = j.value ORDER BY j.key`,
    ),
    completionTraffic: sqlite.prepare(
      `INSERT INTO traffic (experiment_id, bucket_ms, traces, errors, latency, last_trace_at)
       SELECT experiment_id, (request_time / 300000) * 300000, COUNT(*), SUM(state = 'ERROR'), '{}', MAX(request_time)
       FROM traces WHERE ${COMPLETED} GROUP BY 1, 2
       ON CONFLICT (experiment_id, bucket_ms) DO UPDATE SET traces = traces + excluded.traces, errors = errors + excluded.errors,
         last_trace_at = MAX(last_trace_at, excluded.last_trace_at)`,
    ),
    completionLatency: sqlite.prepare(
      `WITH n AS (
         SELECT experiment_id AS e, (request_time / 300000) * 300000 AS b, CAST(${latencyBinSql("execution_duration_ms")} AS TEXT) AS k, COUNT(*) AS c
         FROM traces WHERE ${COMPLETED} AND execution_duration_ms IS NOT NULL AND state <> 'IN_PROGRESS' GROUP BY 1, 2, 3)
       UPDATE traffic SET latency = (
         SELECT json_group_object(k, c) FROM (
           SELECT k, SUM(c) AS c FROM (
             SELECT key AS k, value AS c FROM json_each(traffic.latency)
             UNION ALL SELECT k, c FROM n WHERE n.e = traffic.experiment_id AND n.b = traffic.bucket_ms)
           GROUP BY k))
       WHERE (experiment_id, bucket_ms) IN (SELECT e, b FROM n)`,
    ),
    completionSessions: sqlite.prepare(
      `INSERT INTO engine_sessions (experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision)
       SELECT experiment_id, sid, MIN(request_time), MAX(request_time), COUNT(*), MAX(MIN(COALESCE(end_time_ms, completed_at), completed_at)), COUNT(*)
       FROM (SELECT experiment_id, request_time, end_time_ms, completed_at, json_extract(trace_metadata, '$."mlflow.trace.session"') AS sid
             FROM traces WHERE ${COMPLETED})
       WHERE sid IS NOT NULL GROUP BY 1, 2
       ON CONFLICT (experiment_id, session_id) DO UPDATE SET
         first_time_ms = MIN(first_time_ms, excluded.first_time_ms), last_time_ms = MAX(last_time_ms, excluded.last_time_ms),
         turns = turns + excluded.turns, last_joined_at = MAX(last_joined_at, excluded.last_joined_at), revision = revision + excluded.revision`,
    ),
  };
  cache.set(sqlite, s);
  return s;
}
