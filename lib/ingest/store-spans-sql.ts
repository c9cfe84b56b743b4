// The statements ingest runs, for either dialect of the SQL port. Where the dialects differ (JSON
// functions, two-argument MIN/MAX, the latency bin, row locks), each spelling is given once here.
import { byDialect, fx, type Dialect, type Sql } from "@/db/sql";
import { latencyBinSql } from "@/lib/core/latency-histogram";

// How many child spans are searched for a request/response when the root span has none.
export const CHILDREN_SEARCHED = 20;

export interface TraceRow {
  trace_id: string;
  experiment_id: number;
  root_span_id: string | null;
  lacks_io: 0 | 1;
  completed: 0 | 1;
  tags: string;
  trace_metadata: string;
}

export interface Statements {
  getTraces: string;
  insertTrace: string;
  touchTrace: string;
  setRoot: string;
  setRequestResponse: string;
  upsertSpan: string;
  spanAttrs: string;
  childAttrs: string;
  completionOutbox: string;
  completionTraffic: string;
  completionLatency: string;
  completionSessions: string;
}

/** The batch's traces, as a bound JSON array of ids. */
const inBatch = (d: Dialect) => `trace_id IN ${fx.jsonStrings(d, ":ids")}`;

const SPAN_COLUMNS =
  "trace_id, span_id, parent_span_id, name, span_type, kind, start_time_ns, end_time_ns, start_ms, end_ms, status_code, status_message, attributes, events";

function build(d: Dialect): Statements {
  const completedNow = fx.typed(d, "@completedAt", "bigint");
  return {
    // The traces the batch touches that exist already; on Postgres their rows stay locked until
    // commit, so another writer's change to their tags or metadata is not lost to ours.
    getTraces: `SELECT trace_id, experiment_id, root_span_id, CASE WHEN request IS NULL OR response IS NULL THEN 1 ELSE 0 END AS lacks_io,
         CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END AS completed, tags, trace_metadata
       FROM traces WHERE ${inBatch(d)}${d === "pg" ? " FOR UPDATE" : ""}`,
    // A trace first seen in this batch is written once, with everything the batch says about it.
    insertTrace: `INSERT INTO traces (trace_id, experiment_id, name, root_span_id, state, request_time, end_time_ms,
         execution_duration_ms, completed_at, request, response, request_preview, response_preview, trace_metadata, tags,
         last_span_at, span_count, completion_recorded)
       VALUES (@traceId, @experimentId, @name, @rootSpanId, @state, @requestTime, @endTimeMs, @durationMs, ${completedNow},
         @request, @response, @requestPreview, @responsePreview, @metadata, @tags, @now, @spanCount,
         CASE WHEN ${completedNow} IS NOT NULL THEN 1 ELSE 0 END)`,
    // Counting the trace's spans once per batch is exact even when a span is sent twice. Tags are
    // merged by the caller (it holds the row), so both dialects store the same JSON text.
    touchTrace: `UPDATE traces SET request_time = ${fx.least(d, "request_time", "@requestTime")}, last_span_at = @now,
         span_count = (SELECT COUNT(*) FROM spans WHERE trace_id = @traceId), tags = @tags
       WHERE trace_id = @traceId`,
    setRoot: `UPDATE traces SET name = @name, root_span_id = @rootSpanId, state = @state, request_time = @requestTime,
         end_time_ms = @endTimeMs, execution_duration_ms = @durationMs, completed_at = COALESCE(completed_at, ${completedNow}),
         completion_recorded = CASE WHEN completed_at IS NULL AND ${completedNow} IS NOT NULL THEN 1 ELSE completion_recorded END,
         request = @request, response = @response, request_preview = @requestPreview, response_preview = @responsePreview,
         trace_metadata = @metadata
       WHERE trace_id = @traceId`,
    setRequestResponse: `UPDATE traces SET request = @request, response = @response, request_preview = @requestPreview,
         response_preview = @responsePreview WHERE trace_id = @traceId`,
    // Positional parameters: binding by name costs measurably more on the hottest statement.
    upsertSpan: `INSERT INTO spans (${SPAN_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (trace_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id, name = excluded.name,
         span_type = excluded.span_type, kind = excluded.kind, start_time_ns = excluded.start_time_ns,
         end_time_ns = excluded.end_time_ns, start_ms = excluded.start_ms, end_ms = excluded.end_ms,
         status_code = excluded.status_code, status_message = excluded.status_message,
         attributes = excluded.attributes, events = excluded.events`,
    spanAttrs: "SELECT attributes FROM spans WHERE trace_id = ? AND span_id = ?",
    childAttrs: `SELECT attributes FROM spans WHERE trace_id = ? AND span_id <> ? ORDER BY start_ms LIMIT ${CHILDREN_SEARCHED}`,
    // What the completion triggers (SQLite migrations 0004, 0024, 0029; pg 0001, 0003) write per
    // trace, once per batch for the traces it completed (marked completion_recorded, so the
    // triggers skip them): the same rows, counts, bins and session joins, in completion order.
    completionOutbox: byDialect(d, {
      sqlite: `INSERT INTO engine_completions (trace_id, experiment_id, completed_at)
         SELECT t.trace_id, t.experiment_id, t.completed_at FROM json_each(:ids) j JOIN traces t ON t.trace_id = j.value ORDER BY j.key`,
      pg: `INSERT INTO engine_completions (trace_id, experiment_id, completed_at)
         SELECT t.trace_id, t.experiment_id, t.completed_at FROM json_array_elements_text(CAST(:ids AS json)) WITH ORDINALITY AS j(value, key)
         JOIN traces t ON t.trace_id = j.value ORDER BY j.key`,
    }),
    completionTraffic: `INSERT INTO traffic (experiment_id, bucket_ms, traces, errors, latency, last_trace_at)
       SELECT experiment_id, (request_time / 300000) * 300000, COUNT(*), SUM(CASE WHEN state = 'ERROR' THEN 1 ELSE 0 END), '{}', MAX(request_time)
       FROM traces WHERE ${inBatch(d)} GROUP BY 1, 2
       ON CONFLICT (experiment_id, bucket_ms) DO UPDATE SET traces = traffic.traces + excluded.traces, errors = traffic.errors + excluded.errors,
         last_trace_at = ${fx.greatest(d, "traffic.last_trace_at", "excluded.last_trace_at")}`,
    completionLatency: byDialect(d, {
      sqlite: `WITH n AS (
         SELECT experiment_id AS e, (request_time / 300000) * 300000 AS b, CAST(${latencyBinSql("execution_duration_ms")} AS TEXT) AS k, COUNT(*) AS c
         FROM traces WHERE ${inBatch(d)} AND execution_duration_ms IS NOT NULL AND state <> 'IN_PROGRESS' GROUP BY 1, 2, 3)
       UPDATE traffic SET latency = (
         SELECT json_group_object(k, c) FROM (
           SELECT k, SUM(c) AS c FROM (
             SELECT key AS k, value AS c FROM json_each(traffic.latency)
             UNION ALL SELECT k, c FROM n WHERE n.e = traffic.experiment_id AND n.b = traffic.bucket_ms)
           GROUP BY k))
       WHERE (experiment_id, bucket_ms) IN (SELECT e, b FROM n)`,
      // vigil_latency_bin (pg migration 0001) truncates as SQLite's CAST does.
      pg: `WITH n AS (
         SELECT experiment_id AS e, (request_time / 300000) * 300000 AS b, vigil_latency_bin(execution_duration_ms)::text AS k, COUNT(*) AS c
         FROM traces WHERE ${inBatch(d)} AND execution_duration_ms IS NOT NULL AND state <> 'IN_PROGRESS' GROUP BY 1, 2, 3)
       UPDATE traffic SET latency = (
         SELECT jsonb_object_agg(k, c)::text FROM (
           SELECT k, SUM(c) AS c FROM (
             SELECT key AS k, (value #>> '{}')::bigint AS c FROM jsonb_each(traffic.latency::jsonb)
             UNION ALL SELECT k, c FROM n WHERE n.e = traffic.experiment_id AND n.b = traffic.bucket_ms) AS parts
           GROUP BY k) AS merged)
       WHERE (experiment_id, bucket_ms) IN (SELECT e, b FROM n)`,
    }),
    completionSessions: `INSERT INTO engine_sessions (experiment_id, session_id, first_time_ms, last_time_ms, turns, last_joined_at, revision)
       SELECT experiment_id, sid, MIN(request_time), MAX(request_time), COUNT(*), MAX(${fx.least(d, "COALESCE(end_time_ms, completed_at)", "completed_at")}), COUNT(*)
       FROM (SELECT experiment_id, request_time, end_time_ms, completed_at, ${fx.jsonText(d, "trace_metadata", "mlflow.trace.session")} AS sid
             FROM traces WHERE ${inBatch(d)}) AS turns
       WHERE sid IS NOT NULL GROUP BY 1, 2
       ON CONFLICT (experiment_id, session_id) DO UPDATE SET
         first_time_ms = ${fx.least(d, "engine_sessions.first_time_ms", "excluded.first_time_ms")},
         last_time_ms = ${fx.greatest(d, "engine_sessions.last_time_ms", "excluded.last_time_ms")},
         turns = engine_sessions.turns + excluded.turns,
         last_joined_at = ${fx.greatest(d, "engine_sessions.last_joined_at", "excluded.last_joined_at")},
         revision = engine_sessions.revision + excluded.revision`,
  };
}

const built: Partial<Record<Dialect, Statements>> = {};
export const statements = (d: Dialect): Statements => (built[d] ??= build(d));

/** The outbox rows, traffic counts and latency bins, and session joins of the traces a batch completed. */
export async function recordCompletions(t: Sql, st: Statements, completed: readonly string[]): Promise<void> {
  const ids = JSON.stringify(completed);
  await t.run(st.completionOutbox, { ids });
  await t.run(st.completionTraffic, { ids });
  await t.run(st.completionLatency, { ids });
  await t.run(st.completionSessions, { ids });
}
