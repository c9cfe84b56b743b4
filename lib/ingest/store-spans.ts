import type { Sql } from "@/db/sql";
import { NotFoundError, requireIngest, sqlOf, traceIdFromOtel, type PortCtx } from "@/lib/core";
import { extractRequestResponse, previewOf } from "./previews";
import { decodeAttributesToJson, metadataFrom, nsToMs, validateSpan } from "./span-attributes";
import { notifyCommitted } from "@/db/commit-signal";
import { CHILDREN_SEARCHED, recordCompletions, statements, type Statements, type TraceRow } from "./store-spans-sql";
import type { IncomingSpan, RejectedSpan, StoreSpansResult } from "./types";

export { decodeAttributes, decodeAttributesToJson, validateSpan } from "./span-attributes";

const jsonOrNull = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

interface Decoded {
  span: IncomingSpan;
  attributes: Record<string, unknown>;
  attributesJson: string;
  startMs: number;
}

/** Valid spans grouped by trace, in arrival order, so each trace costs a few statements per batch. */
function groupByTrace(spans: IncomingSpan[], rejected: RejectedSpan[]): Map<string, IncomingSpan[]> {
  const groups = new Map<string, IncomingSpan[]>();
  for (const s of spans) {
    const reason = validateSpan(s);
    if (reason) {
      rejected.push({ traceId: s.traceIdHex, spanId: s.spanIdHex, reason });
      continue;
    }
    const g = groups.get(s.traceIdHex);
    if (g) g.push(s);
    else groups.set(s.traceIdHex, [s]);
  }
  return groups;
}

/** The shape of the existing trace's JSON column after `patch` is merged in (flat objects). */
function merged(json: string, patch: Record<string, unknown>): string {
  return Object.keys(patch).length ? JSON.stringify({ ...(JSON.parse(json) as Record<string, unknown>), ...patch }) : json;
}

/**
 * Stores spans into an experiment: every valid span is written, every invalid one is reported.
 * Spans of one trace may arrive in any order and over many calls; the root span completes it.
 * `traceTags` are merged into the tags of every trace the spans touch, in the same transaction.
 * Runs over the SQL port (SQLite or Postgres); on Postgres the batch's traces are locked first,
 * so two batches of one trace (two web processes) are stored one after the other.
 */
export async function storeSpans({
  ctx,
  input,
}: {
  ctx: PortCtx;
  input: { experimentId: number; spans: IncomingSpan[]; traceTags?: Record<string, string> };
}): Promise<StoreSpansResult> {
  requireIngest(ctx.actor, input.experimentId);
  const sql = sqlOf(ctx);
  const exp = await sql.get<{ stage: string }>("SELECT lifecycle_stage AS stage FROM experiments WHERE experiment_id = ?", [input.experimentId]);
  if (!exp || exp.stage !== "active") throw new NotFoundError(`Experiment '${input.experimentId}' does not exist.`);

  const rejected: RejectedSpan[] = [];
  const groups = groupByTrace(input.spans, rejected);
  const st = statements(sql.dialect);
  const now = ctx.now();
  const traceTags = input.traceTags ?? {};
  const ids = [...groups.keys()].map(traceIdFromOtel);

  const stored = await sql.tx(async (t) => {
    const out = { touched: [] as string[], completedNow: [] as string[], refused: [] as RejectedSpan[], accepted: 0 };
    if (!ids.length) return out;
    await t.lock(ids);
    const rows = await t.all<TraceRow>(st.getTraces, { ids: JSON.stringify(ids) });
    const existingById = new Map(rows.map((r) => [r.trace_id, r]));
    for (const [hex, group] of groups) {
      const traceId = traceIdFromOtel(hex);
      const existing = existingById.get(traceId);
      if (existing && existing.experiment_id !== input.experimentId) {
        for (const s of group) out.refused.push({ traceId: hex, spanId: s.spanIdHex, reason: `trace belongs to experiment ${existing.experiment_id}` });
        continue;
      }
      const decoded = group.map((span): Decoded => {
        const { attributes, json } = decodeAttributesToJson(span.attributes);
        return { span, attributes, attributesJson: json, startMs: nsToMs(span.startTimeNs) };
      });
      let firstStart = decoded[0]!.startMs;
      let root: Decoded | undefined;
      for (const d of decoded) {
        await insertSpan(t, st, traceId, d);
        firstStart = Math.min(firstStart, d.startMs);
        if (d.span.parentSpanIdHex === null) root = d;
      }
      if (root?.span.endTimeNs != null && !existing?.completed) out.completedNow.push(traceId);
      if (!existing) {
        // The batch holds the whole trace so far: no need to read anything back.
        const cols = root ? rootColumns(root, () => batchChildren(decoded, root), now) : openTraceColumns(firstStart);
        const spanCount = new Set(group.map((g) => g.spanIdHex)).size;
        await t.run(st.insertTrace, { traceId, experimentId: input.experimentId, now, spanCount, tags: JSON.stringify(traceTags), ...cols });
      } else {
        await t.run(st.touchTrace, { traceId, requestTime: firstStart, now, tags: merged(existing.tags, traceTags) });
        const children = () => storedChildren(t, st, traceId, root?.span.spanIdHex ?? existing.root_span_id!);
        if (root) {
          const cols = rootColumns(root, await prefetch(children, root.attributes), now);
          await t.run(st.setRoot, { traceId, ...cols, metadata: merged(existing.trace_metadata, JSON.parse(cols.metadata) as Record<string, unknown>) });
        } else if (existing.root_span_id && existing.lacks_io) await refreshRequestResponse(t, st, traceId, existing.root_span_id, children);
      }
      out.touched.push(traceId);
      out.accepted += group.length;
    }
    if (out.completedNow.length) await recordCompletions(t, st, out.completedNow);
    return out;
  });
  // A worker in this process scores the completed traces now instead of at its next poll.
  if (stored.completedNow.length) notifyCommitted();

  return { acceptedSpans: stored.accepted, rejected: [...rejected, ...stored.refused], traceIds: stored.touched };
}

async function insertSpan(t: Sql, st: Statements, traceId: string, { span: s, attributes, attributesJson, startMs }: Decoded): Promise<void> {
  const spanType = attributes["mlflow.spanType"];
  await t.run(st.upsertSpan, [
    traceId,
    s.spanIdHex,
    s.parentSpanIdHex,
    s.name,
    typeof spanType === "string" ? spanType : null,
    s.kind,
    s.startTimeNs,
    s.endTimeNs,
    startMs,
    s.endTimeNs === null ? null : nsToMs(s.endTimeNs),
    s.statusCode,
    s.statusMessage,
    attributesJson,
    s.events.length ? JSON.stringify(s.events) : "[]",
  ]);
}

function batchChildren(decoded: Decoded[], root: Decoded | undefined): Record<string, unknown>[] {
  return decoded
    .filter((d) => d !== root)
    .sort((a, b) => a.startMs - b.startMs)
    .slice(0, CHILDREN_SEARCHED)
    .map((d) => d.attributes);
}

async function storedChildren(t: Sql, st: Statements, traceId: string, rootSpanId: string): Promise<Record<string, unknown>[]> {
  const rows = await t.all<{ attributes: string }>(st.childAttrs, [traceId, rootSpanId]);
  return rows.map((r) => JSON.parse(r.attributes) as Record<string, unknown>);
}

/**
 * The stored children, read only when the root span itself lacks a request or response (the
 * column builders are synchronous; the read is not).
 */
async function prefetch(children: () => Promise<Record<string, unknown>[]>, rootAttrs: Record<string, unknown>): Promise<() => Record<string, unknown>[]> {
  const own = extractRequestResponse(rootAttrs, []);
  if (own.request !== undefined && own.response !== undefined) return () => [];
  const rows = await children();
  return () => rows;
}

/** The root span's request/response, else the first child's that has them (children read only if needed). */
function requestResponse(rootAttrs: Record<string, unknown>, children: () => Record<string, unknown>[]) {
  const own = extractRequestResponse(rootAttrs, []);
  return own.request !== undefined && own.response !== undefined ? own : extractRequestResponse(rootAttrs, children());
}

function ioColumns(io: { request: unknown; response: unknown }) {
  return {
    request: jsonOrNull(io.request),
    response: jsonOrNull(io.response),
    requestPreview: previewOf(io.request, "request"),
    responsePreview: previewOf(io.response, "response"),
  };
}

interface TraceColumns {
  name: string | null;
  rootSpanId: string | null;
  state: "IN_PROGRESS" | "OK" | "ERROR";
  requestTime: number;
  endTimeMs: number | null;
  durationMs: number | null;
  completedAt: number | null;
  request: string | null;
  response: string | null;
  requestPreview: string | null;
  responsePreview: string | null;
  metadata: string;
}

/** What a trace's root span decides: name, state, timing, request/response and metadata. */
function rootColumns(root: Decoded, children: () => Record<string, unknown>[], now: number): TraceColumns {
  const { span, attributes } = root;
  const ended = span.endTimeNs !== null;
  const endMs = ended ? nsToMs(span.endTimeNs!) : null;
  return {
    name: span.name,
    rootSpanId: span.spanIdHex,
    state: !ended ? "IN_PROGRESS" : span.statusCode === "STATUS_CODE_ERROR" ? "ERROR" : "OK",
    requestTime: root.startMs,
    endTimeMs: endMs,
    durationMs: endMs === null ? null : endMs - root.startMs,
    completedAt: ended ? now : null,
    ...ioColumns(requestResponse(attributes, children)),
    metadata: JSON.stringify({ ...metadataFrom(span.resourceAttributes ?? {}), ...metadataFrom(attributes) }),
  };
}

/** A trace whose root has not arrived yet. */
function openTraceColumns(requestTime: number): TraceColumns {
  return {
    name: null,
    rootSpanId: null,
    state: "IN_PROGRESS",
    requestTime,
    endTimeMs: null,
    durationMs: null,
    completedAt: null,
    request: null,
    response: null,
    requestPreview: null,
    responsePreview: null,
    metadata: "{}",
  };
}

/** A child that arrives after its root may carry the request/response the root lacked. */
async function refreshRequestResponse(
  t: Sql,
  st: Statements,
  traceId: string,
  rootSpanId: string,
  children: () => Promise<Record<string, unknown>[]>,
): Promise<void> {
  const row = await t.get<{ attributes: string }>(st.spanAttrs, [traceId, rootSpanId]);
  if (!row) return;
  const rootAttrs = JSON.parse(row.attributes) as Record<string, unknown>;
  const stored = await prefetch(children, rootAttrs);
  const io = requestResponse(rootAttrs, stored);
  if (io.request === undefined && io.response === undefined) return;
  await t.run(st.setRequestResponse, { traceId, ...ioColumns(io) });
}
