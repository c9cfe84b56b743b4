import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { NotFoundError, requireIngest, traceIdFromOtel, type VerbArgs } from "@/lib/core";
import { decodeMaybeJson, extractRequestResponse, previewOf } from "./previews";
import type { IncomingSpan, RejectedSpan, StoreSpansResult } from "./types";

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;
const NS_PER_MS = 1_000_000n;

// Root-span attributes that MLflow keeps as trace metadata rather than span data.
const METADATA_KEYS: Record<string, string> = {
  "mlflow.trace.session": "mlflow.trace.session",
  "mlflow.trace.user": "mlflow.trace.user",
  "mlflow.sourceRun": "mlflow.sourceRun",
  "session.id": "mlflow.trace.session",
  "user.id": "mlflow.trace.user",
  "ai.telemetry.metadata.sessionId": "mlflow.trace.session",
  "ai.telemetry.metadata.userId": "mlflow.trace.user",
};

export function validateSpan(s: IncomingSpan): string | null {
  if (!HEX32.test(s.traceIdHex) || ZERO.test(s.traceIdHex)) return "trace id must be 32 hex characters, not all zero";
  if (!HEX16.test(s.spanIdHex) || ZERO.test(s.spanIdHex)) return "span id must be 16 hex characters, not all zero";
  if (s.parentSpanIdHex !== null && !HEX16.test(s.parentSpanIdHex)) return "parent span id must be 16 hex characters";
  if (!/^\d+$/.test(s.startTimeNs) || s.startTimeNs === "0" || ZERO.test(s.startTimeNs)) return "start time is missing";
  if (s.endTimeNs !== null && (!/^\d+$/.test(s.endTimeNs) || BigInt(s.endTimeNs) < BigInt(s.startTimeNs))) {
    return "end time is before start time";
  }
  return null;
}

const nsToMs = (ns: string) => Number(BigInt(ns) / NS_PER_MS);

/** MLflow attributes are JSON-encoded strings; Vigil keeps them decoded (re-encoded on export). */
export function decodeAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = k.startsWith("mlflow.") ? decodeMaybeJson(v) : v;
  return out;
}

interface Stmts {
  getTrace: Database.Statement;
  insertTrace: Database.Statement;
  touchTrace: Database.Statement;
  setRoot: Database.Statement;
  upsertSpan: Database.Statement;
  spanExists: Database.Statement;
  childAttrs: Database.Statement;
}

const cache = new WeakMap<Database.Database, Stmts>();
function stmts(sqlite: Database.Database): Stmts {
  let s = cache.get(sqlite);
  if (s) return s;
  s = {
    getTrace: sqlite.prepare("SELECT trace_id, experiment_id, request_time, root_span_id FROM traces WHERE trace_id = ?"),
    insertTrace: sqlite.prepare(
      `INSERT INTO traces (trace_id, experiment_id, request_time, state, trace_metadata, tags, last_span_at, span_count)
       VALUES (@traceId, @experimentId, @requestTime, 'IN_PROGRESS', @metadata, '{}', @now, 0)`,
    ),
    touchTrace: sqlite.prepare(
      `UPDATE traces SET request_time = MIN(request_time, @requestTime), last_span_at = @now,
         span_count = span_count + @added WHERE trace_id = @traceId`,
    ),
    setRoot: sqlite.prepare(
      `UPDATE traces SET name = @name, root_span_id = @rootSpanId, state = @state, request_time = @requestTime,
         end_time_ms = @endTimeMs, execution_duration_ms = @durationMs, completed_at = COALESCE(completed_at, @completedAt),
         request = @request, response = @response, request_preview = @requestPreview, response_preview = @responsePreview,
         trace_metadata = json_patch(trace_metadata, @metadata)
       WHERE trace_id = @traceId`,
    ),
    spanExists: sqlite.prepare("SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?"),
    upsertSpan: sqlite.prepare(
      `INSERT INTO spans (trace_id, span_id, parent_span_id, name, span_type, kind, start_time_ns, end_time_ns,
         start_ms, end_ms, status_code, status_message, attributes, events)
       VALUES (@traceId, @spanId, @parentSpanId, @name, @spanType, @kind, @startTimeNs, @endTimeNs, @startMs, @endMs,
         @statusCode, @statusMessage, @attributes, @events)
       ON CONFLICT (trace_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id, name = excluded.name,
         span_type = excluded.span_type, kind = excluded.kind, start_time_ns = excluded.start_time_ns,
         end_time_ns = excluded.end_time_ns, start_ms = excluded.start_ms, end_ms = excluded.end_ms,
         status_code = excluded.status_code, status_message = excluded.status_message,
         attributes = excluded.attributes, events = excluded.events`,
    ),
    childAttrs: sqlite.prepare("SELECT attributes FROM spans WHERE trace_id = ? AND span_id != ? ORDER BY start_ms LIMIT 20"),
  };
  cache.set(sqlite, s);
  return s;
}

function metadataFrom(attrs: Record<string, unknown>): Record<string, string> {
  const md: Record<string, string> = {};
  for (const [k, target] of Object.entries(METADATA_KEYS)) {
    const v = attrs[k];
    if (v !== undefined && v !== null && v !== "") md[target] = typeof v === "string" ? String(decodeMaybeJson(v)) : String(v);
  }
  return md;
}

const jsonOrNull = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Stores spans into an experiment: every valid span is written, every invalid one is reported.
 * Spans of one trace may arrive in any order and over many calls; the root span completes it.
 */
export function storeSpans({ ctx, input }: VerbArgs<{ experimentId: number; spans: IncomingSpan[] }>): StoreSpansResult {
  requireIngest(ctx.actor, input.experimentId);
  const exp = ctx.db.select({ id: experiments.experimentId, stage: experiments.lifecycleStage }).from(experiments)
    .where(eq(experiments.experimentId, input.experimentId)).get();
  if (!exp || exp.stage !== "active") throw new NotFoundError(`Experiment '${input.experimentId}' does not exist.`);

  const rejected: RejectedSpan[] = [];
  const valid: IncomingSpan[] = [];
  for (const s of input.spans) {
    const reason = validateSpan(s);
    if (reason) rejected.push({ traceId: s.traceIdHex, spanId: s.spanIdHex, reason });
    else valid.push(s);
  }
  const sqlite = ctx.db.$client;
  const st = stmts(sqlite);
  const now = ctx.now();
  const touched = new Set<string>();
  let accepted = 0;

  sqlite.transaction(() => {
    for (const s of valid) {
      const traceId = traceIdFromOtel(s.traceIdHex);
      const startMs = nsToMs(s.startTimeNs);
      const existing = st.getTrace.get(traceId) as { experiment_id: number } | undefined;
      if (existing && existing.experiment_id !== input.experimentId) {
        rejected.push({ traceId: s.traceIdHex, spanId: s.spanIdHex, reason: `trace belongs to experiment ${existing.experiment_id}` });
        continue;
      }
      if (!existing) st.insertTrace.run({ traceId, experimentId: input.experimentId, requestTime: startMs, metadata: "{}", now });
      const isNew = !st.spanExists.get(traceId, s.spanIdHex);
      const attributes = decodeAttributes(s.attributes);
      const spanType = attributes["mlflow.spanType"];
      st.upsertSpan.run({
        traceId,
        spanId: s.spanIdHex,
        parentSpanId: s.parentSpanIdHex,
        name: s.name,
        spanType: typeof spanType === "string" ? spanType : null,
        kind: s.kind,
        startTimeNs: s.startTimeNs,
        endTimeNs: s.endTimeNs,
        startMs,
        endMs: s.endTimeNs === null ? null : nsToMs(s.endTimeNs),
        statusCode: s.statusCode,
        statusMessage: s.statusMessage,
        attributes: JSON.stringify(attributes),
        events: JSON.stringify(s.events),
      });
      st.touchTrace.run({ traceId, requestTime: startMs, now, added: isNew ? 1 : 0 });
      if (s.parentSpanIdHex === null) applyRoot(st, traceId, s, attributes, now);
      touched.add(traceId);
      accepted++;
    }
  })();

  return { acceptedSpans: accepted, rejected, traceIds: [...touched] };
}

function applyRoot(st: Stmts, traceId: string, root: IncomingSpan, attrs: Record<string, unknown>, now: number): void {
  const children = (st.childAttrs.all(traceId, root.spanIdHex) as { attributes: string }[]).map(
    (r) => JSON.parse(r.attributes) as Record<string, unknown>,
  );
  const { request, response } = extractRequestResponse(attrs, children);
  const ended = root.endTimeNs !== null;
  const startMs = nsToMs(root.startTimeNs);
  const endMs = ended ? nsToMs(root.endTimeNs!) : null;
  const state = !ended ? "IN_PROGRESS" : root.statusCode === "STATUS_CODE_ERROR" ? "ERROR" : "OK";
  const metadata = { ...metadataFrom(root.resourceAttributes ?? {}), ...metadataFrom(attrs) };
  st.setRoot.run({
    traceId,
    name: root.name,
    rootSpanId: root.spanIdHex,
    state,
    requestTime: startMs,
    endTimeMs: endMs,
    durationMs: endMs === null ? null : endMs - startMs,
    completedAt: ended ? now : null,
    request: jsonOrNull(request),
    response: jsonOrNull(response),
    requestPreview: previewOf(request, "request"),
    responsePreview: previewOf(response, "response"),
    metadata: JSON.stringify(metadata),
  });
}
