import type { Metadata } from "next";
import Link from "next/link";
import { assessmentTone, assessmentValueText } from "@/components/assessment-value";
import { traceConversation } from "@/components/chat-messages";
import { ChatView } from "@/components/chat-view";
import { formatCount, formatDateTime, formatMs, formatUsd } from "@/components/format";
import { JsonView } from "@/components/json-view";
import { StateChip } from "@/components/state-chip";
import { TraceView } from "@/components/trace-view";
import { parseRfc3339 } from "@/lib/mlflow/proto-json";
import type { Assessment } from "@/lib/mlflow/types";
import { getTraceDetail, spanUsage, sumUsage } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { firstParam, orNotFoundAsync, type SearchParams } from "@/app/_lib/page";
import { LabelControl } from "@/components/label-control";
import { labelTargets, listScorers } from "@/lib/monitoring";
import { labelTraceAction } from "../../scorers/shadow-actions";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ traceId: string }> }): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Trace ${decodeURIComponent(traceId).slice(0, 11)}` };
}

const SOURCE_LABEL: Record<string, string> = { LLM_JUDGE: "LLM judge", CODE: "Code", HUMAN: "Human", SOURCE_TYPE_UNSPECIFIED: "Unknown source" };

export default async function TracePage({ params, searchParams }: { params: Promise<{ id: string; traceId: string }>; searchParams: Promise<SearchParams> }) {
  const { id, traceId } = await params;
  const focus = firstParam(await searchParams, "label") ?? null;
  const ctx = await getRequestCtx();
  const trace = await orNotFoundAsync(() => getTraceDetail({ ctx, input: { experimentId: id, traceId: decodeURIComponent(traceId) } }));
  const info = trace.info;
  const feedback = info.assessments.filter((a) => a.feedback);
  const expectations = info.assessments.filter((a) => a.expectation);
  const registered = new Set(listScorers({ ctx, input: { experiment_id: id } }).map((s) => s.name));
  const targets = labelTargets(info.assessments, registered);
  const canLabel = ctx.actor.role === "operator" || ctx.actor.role === "admin";
  const spanTokens = Object.fromEntries(
    trace.spans.flatMap((s) => {
      const u = spanUsage(s.attributes);
      return u ? [[s.span_id, u]] : [];
    }),
  );
  const usage = sumUsage(Object.values(spanTokens), ctx.config.VIGIL_JUDGE_PRICES);
  const conversation = traceConversation(info.request, info.response, trace.spans);
  return (
    <>
      <div className="crumbs">
        <Link href={`/experiments/${id}/traces`}>Traces</Link> / <span className="mono">{info.trace_id}</span>
      </div>
      <div className="page-head">
        <h2 style={{ margin: "4px 0 12px" }}>
          {info.name ?? "Trace"} <StateChip state={info.state} />
        </h2>
      </div>
      <dl className="kpis">
        <div className="kpi">
          <dt>Started</dt>
          <dd style={{ fontSize: 15 }}>{formatDateTime(parseRfc3339(info.request_time), { seconds: true })}</dd>
        </div>
        <div className="kpi">
          <dt>Duration</dt>
          <dd>{formatMs(info.execution_time_ms)}</dd>
        </div>
        <div className="kpi">
          <dt>Spans</dt>
          <dd>{trace.spans.length}</dd>
        </div>
        <div className="kpi">
          <dt>Assessments</dt>
          <dd>{info.assessments.length}</dd>
        </div>
        {usage && (
          <div className="kpi">
            <dt>Tokens</dt>
            <dd title={`${formatCount(usage.inputTokens)} in, ${formatCount(usage.outputTokens)} out`}>
              {formatCount(usage.totalTokens)}
              {usage.costUsd !== null && (
                <span className="muted small">
                  {" "}
                  · {usage.unpriced ? "≥ " : ""}
                  {formatUsd(usage.costUsd)}
                </span>
              )}
            </dd>
          </div>
        )}
      </dl>

      {conversation && (
        <section aria-label="Conversation">
          <h3>Conversation</h3>
          {conversation.from === "llm_span" && <p className="muted small">As the last LLM call of this trace saw and answered it.</p>}
          <ChatView messages={conversation.messages} label="Conversation messages" />
        </section>
      )}

      <div className="grid-2">
        <section aria-label="Request">
          <h3>Request</h3>
          <JsonView value={info.request ?? info.request_preview ?? null} label="Trace request" />
        </section>
        <section aria-label="Response">
          <h3>Response</h3>
          <JsonView value={info.response ?? info.response_preview ?? null} label="Trace response" />
        </section>
      </div>

      <h2>Assessments</h2>
      {info.assessments.length === 0 ? (
        <div className="empty">No assessments yet. Scorers that sample this trace add theirs here.</div>
      ) : (
        <div>
          {[...feedback, ...expectations].map((a) => (
            <AssessmentCard key={a.assessment_id} a={a} />
          ))}
        </div>
      )}

      <LabelControl traceId={info.trace_id} targets={targets} focus={focus} canLabel={canLabel} action={labelTraceAction} />

      <h2>Spans</h2>
      <TraceView spans={trace.spans} tokens={spanTokens} />

      {(Object.keys(info.tags).length > 0 || Object.keys(info.trace_metadata).length > 0) && (
        <div className="grid-2" style={{ marginTop: 16 }}>
          <section className="panel" aria-label="Tags">
            <h3>Tags</h3>
            <Kv map={info.tags} />
          </section>
          <section className="panel" aria-label="Metadata">
            <h3>Metadata</h3>
            <Kv map={info.trace_metadata} />
          </section>
        </div>
      )}
    </>
  );
}

function AssessmentCard({ a }: { a: Assessment }) {
  const tone = assessmentTone(a);
  return (
    <article className="assessment" aria-label={`Assessment ${a.assessment_name}`}>
      <div className="head">
        <strong>{a.assessment_name}</strong>
        <span className={`chip ${tone}`}>{assessmentValueText(a)}</span>
        <span className="chip">{a.expectation ? "Expectation" : (SOURCE_LABEL[a.source.source_type] ?? a.source.source_type)}</span>
        {a.source.source_id && <span className="muted small">by {a.source.source_id}</span>}
        {a.metadata?.scorer_version && <span className="chip">v{a.metadata.scorer_version}</span>}
        {a.metadata?.["vigil.shadow"] === "true" && <span className="chip info">shadow</span>}
        {a.valid === false && <span className="chip warn">overridden</span>}
        <span className="muted small" style={{ marginLeft: "auto" }}>
          {formatDateTime(parseRfc3339(a.create_time))}
        </span>
      </div>
      {a.rationale && <p style={{ margin: "6px 0 0" }}>{a.rationale}</p>}
      {a.feedback?.error && (
        <p className="bad small" style={{ margin: "6px 0 0" }}>
          {a.feedback.error.error_code}
          {a.feedback.error.error_message ? `: ${a.feedback.error.error_message}` : ""}
        </p>
      )}
      {a.span_id && (
        <p className="muted small" style={{ margin: "4px 0 0" }}>
          On span <span className="mono">{a.span_id}</span>
        </p>
      )}
      {a.metadata && Object.keys(a.metadata).length > 0 && (
        <details style={{ marginTop: 6 }}>
          <summary className="small muted">Metadata</summary>
          <Kv map={a.metadata} />
        </details>
      )}
    </article>
  );
}

function Kv({ map }: { map: Record<string, string> }) {
  const entries = Object.entries(map);
  if (entries.length === 0) return <p className="muted small">None</p>;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt className="mono">{k}</dt>
          <dd className="mono">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
