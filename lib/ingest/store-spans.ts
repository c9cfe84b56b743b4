import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { NotFoundError, requireIngest, traceIdFromOtel, type VerbArgs } from "@/lib/core";
import { extractRequestResponse, previewOf } from "./previews";
import { decodeAttributesToJson, metadataFrom, nsToMs, validateSpan } from "./span-attributes";
import { notifyCommitted } from "@/db/commit-signal";
import { CHILDREN_SEARCHED, stmts, type Stmts, type TraceRow } from "./store-spans-sql";
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

/**
 * Stores spans into an experiment: every valid span is written, every invalid one is reported.
 * Spans of one trace may arrive in any order and over many calls; the root span completes it.
 * `traceTags` are merged into the tags of every trace the spans touch, in the same transaction.
 */
export function storeSpans({ ctx, input }: VerbArgs<{ experimentId: number; spans: IncomingSpan[]; traceTags?: Record<string, string> }>): StoreSpansResult {
  requireIngest(ctx.actor, input.experimentId);
  const exp = ctx.db
    .select({ id: experiments.experimentId, stage: experiments.lifecycleStage })
    .from(experiments)
    .where(eq(experiments.experimentId, input.experimentId))
    .get();
  if (!exp || exp.stage !== "active") throw new NotFoundError(`Experiment '${input.experimentId}' does not exist.`);

  const rejected: RejectedSpan[] = [];
  const groups = groupByTrace(input.spans, rejected);
  const sqlite = ctx.db.$client;
  const st = stmts(sqlite);
  const now = ctx.now();
  const touched: string[] = [];
  const completedNow: string[] = [];
  const tags = JSON.stringify(input.traceTags ?? {});
  let accepted = 0;

  sqlite.transaction(() => {
    for (const [hex, group] of groups) {
      const traceId = traceIdFromOtel(hex);
      const existing = st.getTrace.get(traceId) as TraceRow | undefined;
      if (existing && existing.experiment_id !== input.experimentId) {
        for (const s of group) rejected.push({ traceId: hex, spanId: s.spanIdHex, reason: `trace belongs to experiment ${existing.experiment_id}` });
        continue;
      }
      const decoded = group.map((span): Decoded => {
        const { attributes, json } = decodeAttributesToJson(span.attributes);
        return { span, attributes, attributesJson: json, startMs: nsToMs(span.startTimeNs) };
      });
      let firstStart = decoded[0]!.startMs;
      let root: Decoded | undefined;
      for (const d of decoded) {
        insertSpan(st, traceId, d);
        firstStart = Math.min(firstStart, d.startMs);
        if (d.span.parentSpanIdHex === null) root = d;
      }
      if (root?.span.endTimeNs != null && !existing?.completed) completedNow.push(traceId);
      if (!existing) {
        // The batch holds the whole trace so far: no need to read anything back.
        const cols = root ? rootColumns(root, () => batchChildren(decoded, root), now) : openTraceColumns(firstStart);
        const spanCount = new Set(group.map((g) => g.spanIdHex)).size;
        st.insertTrace.run({ traceId, experimentId: input.experimentId, now, spanCount, tags, ...cols });
      } else {
        st.touchTrace.run({ traceId, requestTime: firstStart, now, tags });
        const children = () => storedChildren(st, traceId, root?.span.spanIdHex ?? existing.root_span_id!);
        if (root) st.setRoot.run({ traceId, ...rootColumns(root, children, now) });
        else if (existing.root_span_id && existing.lacks_io) refreshRequestResponse(st, traceId, existing.root_span_id, children);
      }
      touched.push(traceId);
      accepted += group.length;
    }
    if (completedNow.length) recordCompletions(st, JSON.stringify(completedNow));
  })();
  // A worker in this process scores the completed traces now instead of at its next poll.
  if (completedNow.length) notifyCommitted();

  return { acceptedSpans: accepted, rejected, traceIds: touched };
}

/** The outbox rows, traffic counts and session joins of the traces this batch completed. */
function recordCompletions(st: Stmts, ids: string): void {
  st.completionOutbox.run(ids);
  st.completionTraffic.run(ids);
  st.completionLatency.run(ids);
  st.completionSessions.run(ids);
}

function insertSpan(st: Stmts, traceId: string, { span: s, attributes, attributesJson, startMs }: Decoded): void {
  const spanType = attributes["mlflow.spanType"];
  st.upsertSpan.run(
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
  );
}

function batchChildren(decoded: Decoded[], root: Decoded | undefined): Record<string, unknown>[] {
  return decoded
    .filter((d) => d !== root)
    .sort((a, b) => a.startMs - b.startMs)
    .slice(0, CHILDREN_SEARCHED)
    .map((d) => d.attributes);
}

function storedChildren(st: Stmts, traceId: string, rootSpanId: string): Record<string, unknown>[] {
  return (st.childAttrs.all(traceId, rootSpanId) as { attributes: string }[]).map((r) => JSON.parse(r.attributes) as Record<string, unknown>);
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
function refreshRequestResponse(st: Stmts, traceId: string, rootSpanId: string, children: () => Record<string, unknown>[]): void {
  const row = st.spanAttrs.get(traceId, rootSpanId) as { attributes: string } | undefined;
  if (!row) return;
  const io = requestResponse(JSON.parse(row.attributes) as Record<string, unknown>, children);
  if (io.request === undefined && io.response === undefined) return;
  st.setRequestResponse.run({ traceId, ...ioColumns(io) });
}
