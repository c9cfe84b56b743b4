"use client";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { SpanData } from "@/lib/mlflow/types";
import { chatMessagesOf, conversationOf } from "./chat-messages";
import { ChatView } from "./chat-view";
import { prepareWaterfall } from "./charts/prepare-waterfall";
import { formatCount, formatMs } from "./format";
import { JsonView } from "./json-view";

const IO_KEYS = new Set(["mlflow.spanInputs", "mlflow.spanOutputs", "mlflow.spanType", "mlflow.traceRequestId"]);

/** A span's token counts (lib/read spanUsage), prepared on the server. */
export interface SpanTokens {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  model: string | null;
}

/** The span tree as a waterfall; choosing a span shows its inputs, outputs and attributes. */
export function TraceView({ spans, highlightSpanId, tokens = {} }: { spans: SpanData[]; highlightSpanId?: string; tokens?: Record<string, SpanTokens> }) {
  const waterfall = useMemo(() => prepareWaterfall(spans), [spans]);
  const [selected, setSelected] = useState(highlightSpanId ?? waterfall.rows[0]?.spanId);
  const span = spans.find((s) => s.span_id === selected);
  const list = useRef<HTMLDivElement>(null);

  // Up/down move through the rows like a list box; Tab leaves the waterfall.
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const to = e.key === "ArrowDown" ? i + 1 : e.key === "ArrowUp" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? waterfall.rows.length - 1 : -1;
    const row = waterfall.rows[to];
    if (!row) return;
    e.preventDefault();
    setSelected(row.spanId);
    list.current?.querySelectorAll<HTMLButtonElement>("button")[to]?.focus();
  };

  if (waterfall.rows.length === 0) return <div className="empty">This trace has no spans stored.</div>;
  const chat = span
    ? (conversationOf(span.attributes["mlflow.spanInputs"], span.attributes["mlflow.spanOutputs"]) ?? chatMessagesOf(span.attributes["mlflow.spanOutputs"]))
    : null;
  const attrs = span ? Object.fromEntries(Object.entries(span.attributes).filter(([k]) => !IO_KEYS.has(k))) : {};
  return (
    <div className="split">
      <div className="waterfall" ref={list} aria-label={`Span tree, ${waterfall.rows.length} spans, ${formatMs(waterfall.totalMs)} in total`}>
        {waterfall.rows.map((r, i) => (
          <button
            key={r.spanId}
            type="button"
            className="wf-row"
            aria-pressed={r.spanId === selected}
            onClick={() => setSelected(r.spanId)}
            onKeyDown={(e) => onKey(e, i)}
            title={`${r.name} · ${r.type} · starts at +${formatMs(r.startMs)}`}
          >
            <span className="wf-name" style={{ paddingLeft: r.depth * 14 }}>
              {r.error && (
                <span className="bad" aria-label="error">
                  ●{" "}
                </span>
              )}
              {r.name} <span className="muted small">{r.type}</span>
            </span>
            <span className="wf-track" aria-hidden>
              <span className={`wf-bar ${r.type}${r.error ? " error" : ""}`} style={{ left: `${r.leftPct}%`, width: `${Math.max(r.widthPct, 0.4)}%` }} />
            </span>
            <span className="wf-dur">
              {tokens[r.spanId] && <span className="muted small">{formatCount(tokens[r.spanId]!.totalTokens)} tok · </span>}
              {r.open ? "open" : formatMs(r.durationMs)}
            </span>
          </button>
        ))}
      </div>
      {span && (
        <section className="panel" aria-label={`Span ${span.name}`}>
          <h3>
            {span.name} <span className="chip">{span.span_type ?? "UNKNOWN"}</span>{" "}
            {span.status_code === "STATUS_CODE_ERROR" && <span className="chip bad">error</span>}
          </h3>
          {span.status_message && <div className="alert bad">{span.status_message}</div>}
          <dl className="kv" style={{ marginBottom: 12 }}>
            <dt>Span id</dt>
            <dd className="mono">{span.span_id}</dd>
            <dt>Duration</dt>
            <dd>{formatMs(waterfall.rows.find((r) => r.spanId === span.span_id)?.durationMs)}</dd>
            {tokens[span.span_id] && (
              <>
                <dt>Tokens</dt>
                <dd>
                  {formatCount(tokens[span.span_id]!.inputTokens)} in · {formatCount(tokens[span.span_id]!.outputTokens)} out
                  {tokens[span.span_id]!.model && <span className="muted"> ({tokens[span.span_id]!.model})</span>}
                </dd>
              </>
            )}
          </dl>
          {chat && (
            <>
              <h3>Messages</h3>
              <ChatView messages={chat} label={`Messages of span ${span.name}`} />
            </>
          )}
          <h3>Inputs</h3>
          <JsonView value={span.attributes["mlflow.spanInputs"] ?? null} label="Span inputs" />
          <h3 style={{ marginTop: 12 }}>Outputs</h3>
          <JsonView value={span.attributes["mlflow.spanOutputs"] ?? null} label="Span outputs" />
          <h3 style={{ marginTop: 12 }}>Attributes</h3>
          <JsonView value={attrs} label="Span attributes" />
          {span.events.length > 0 && (
            <>
              <h3 style={{ marginTop: 12 }}>Events</h3>
              <JsonView value={span.events} label="Span events" />
            </>
          )}
        </section>
      )}
    </div>
  );
}
