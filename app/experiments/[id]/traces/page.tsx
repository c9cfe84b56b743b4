import type { Metadata } from "next";
import Link from "next/link";
import { AssessmentChips } from "@/components/assessment-chips";
import { formatCount, formatDateTime, formatMs, formatUsd } from "@/components/format";
import { TraceSearchForm } from "@/components/trace-search-form";
import { StateChip } from "@/components/state-chip";
import { countOf } from "@/lib/core/plural";
import { InvalidParameterError, UpstreamUnavailableError, messageFor } from "@/lib/core";
import { parseDuration, parseRfc3339 } from "@/lib/mlflow/proto-json";
import { parseTraceQueryState, searchTracePage, tracePageLinks, tracePageUsage, type TracePage, type TraceUsage } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFoundAsync, type SearchParams } from "@/app/_lib/page";
import { validateFilterAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Traces" };

export default async function TracesPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const state = parseTraceQueryState(await searchParams);
  const ctx = await getRequestCtx();
  let page: TracePage | null = null;
  let searchError: string | null = null;
  try {
    page = await orNotFoundAsync(() => searchTracePage({ ctx, input: { experimentId: id, state } }));
  } catch (e) {
    // A bad filter or a stale page token is the user's to fix: show it beside the form. So is a
    // remote MLflow that does not answer (remote mode): the page says so instead of failing.
    if (!(e instanceof InvalidParameterError) && !(e instanceof UpstreamUnavailableError)) throw e;
    searchError = messageFor(e, ctx.actor);
  }
  const links = page ? tracePageLinks(state, page.anchor, page.nextPageToken) : null;
  const usage = page ? tracePageUsage(ctx, Number(id), page.traces) : new Map();
  const here = `/experiments/${id}/traces`;
  // Admins pick traces here and assess them: a plain GET form to the jobs page (?trace=…).
  const canAssess = ctx.actor.role === "admin";
  // A chip filters the list to the traces with the same verdict, in the same range.
  const chipHref = (filter: string) => `${here}?${new URLSearchParams({ q: filter, ...(state.range !== "7d" ? { range: state.range } : {}) })}`;

  return (
    <>
      <TraceSearchForm key={`${state.q}|${state.range}|${state.order}|${state.size}`} state={state} validate={validateFilterAction} />
      {searchError && (
        <div className="alert bad" role="alert">
          {searchError}
        </div>
      )}
      {page && page.traces.length === 0 && (
        <div className="empty">
          <h3>No traces match</h3>
          <p>
            {state.q ? "Nothing in this time range matches the filter. " : "No traces arrived in this time range. "}
            {state.range !== "all" && (
              <Link href={`${here}?${new URLSearchParams({ ...(state.q ? { q: state.q } : {}), range: "all" })}`}>Search all time</Link>
            )}
          </p>
        </div>
      )}
      {page && page.traces.length > 0 && (
        <>
          {canAssess && (
            <form id="assess-picked" method="get" action={`/experiments/${id}/jobs`} className="toolbar picked-bar">
              <button type="submit" className="btn small">
                Assess picked traces…
              </button>
              <span className="muted small">Tick traces below, then choose scorers on the Jobs page.</span>
            </form>
          )}
          {/* One line per trace; the box scrolls both ways (its header stays), so the columns right of
              the previews stay reachable with the scrollbar in view. */}
          <div className="table-wrap grid-scroll" tabIndex={0} role="region" aria-label="Traces list">
            <table className="data one-line" aria-label="Traces">
              <thead>
                <tr>
                  {canAssess && (
                    <th>
                      <span className="sr-only">Pick</span>
                    </th>
                  )}
                  <th>Time</th>
                  <th>Trace</th>
                  <th className="hide-sm">Request</th>
                  <th className="hide-sm">Response</th>
                  <th>Status</th>
                  <th className="num">Duration</th>
                  <th className="num hide-sm">Tokens</th>
                  <th className="num hide-sm" title="At the configured model prices (VIGIL_JUDGE_PRICES)">
                    Cost
                  </th>
                  <th className="hide-sm">User</th>
                  <th className="hide-sm">Session</th>
                  <th>Assessments</th>
                </tr>
              </thead>
              <tbody>
                {page.traces.map((t) => (
                  <tr key={t.trace_id}>
                    {canAssess && (
                      <td>
                        <input type="checkbox" form="assess-picked" name="trace" value={t.trace_id} aria-label={`Pick trace ${t.trace_id}`} />
                      </td>
                    )}
                    <td className="small">{formatDateTime(parseRfc3339(t.request_time), { seconds: true })}</td>
                    <td>
                      <Link href={`${here}/${encodeURIComponent(t.trace_id)}`} className="mono" title={t.trace_id}>
                        {t.trace_id.slice(0, 11)}…
                      </Link>
                    </td>
                    <td className="hide-sm">
                      <div className="preview" title={t.request_preview}>
                        {t.request_preview ?? "—"}
                      </div>
                    </td>
                    <td className="hide-sm">
                      <div className="preview" title={t.response_preview}>
                        {t.response_preview ?? "—"}
                      </div>
                    </td>
                    <td>
                      <StateChip state={t.state} />
                    </td>
                    <td className="num">{formatMs(t.execution_duration ? parseDuration(t.execution_duration) : null)}</td>
                    <UsageCells usage={usage.get(t.trace_id)} />
                    <td className="hide-sm small">
                      <div className="clip" title={t.trace_metadata["mlflow.trace.user"]}>
                        {t.trace_metadata["mlflow.trace.user"] ?? "—"}
                      </div>
                    </td>
                    <td className="hide-sm small mono">
                      <div className="clip" title={t.trace_metadata["mlflow.trace.session"]}>
                        {t.trace_metadata["mlflow.trace.session"] ?? "—"}
                      </div>
                    </td>
                    <td>
                      <AssessmentChips assessments={t.assessments} hrefFor={chipHref} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {links && (
            <nav className="pager" aria-label="Pages">
              {links.prev ? (
                <Link className="btn" href={`${here}?${links.prev}`}>
                  ← Previous
                </Link>
              ) : (
                <span className="btn" aria-disabled="true" style={{ opacity: 0.5 }}>
                  ← Previous
                </span>
              )}
              <span className="muted">Page {links.pageNumber}</span>
              {links.next ? (
                <Link className="btn" href={`${here}?${links.next}`}>
                  Next →
                </Link>
              ) : (
                <span className="btn" aria-disabled="true" style={{ opacity: 0.5 }}>
                  Next →
                </span>
              )}
            </nav>
          )}
        </>
      )}
    </>
  );
}

/** Tokens (input / output in the title) and cost; a cost with unpriced spans is a lower bound. */
function UsageCells({ usage: u }: { usage: TraceUsage | undefined }) {
  if (!u)
    return (
      <>
        <td className="num muted hide-sm">—</td>
        <td className="num muted hide-sm">—</td>
      </>
    );
  return (
    <>
      <td className="num hide-sm" title={`${formatCount(u.inputTokens)} in, ${formatCount(u.outputTokens)} out`}>
        {formatCount(u.totalTokens)}
      </td>
      <td
        className="num hide-sm"
        title={
          u.unpriced ? `${countOf(u.unpriced, "LLM call", "LLM calls")} of a model without a price ${u.unpriced === 1 ? "is" : "are"} not included` : undefined
        }
      >
        {u.costUsd === null ? "—" : `${u.unpriced ? "≥ " : ""}${formatUsd(u.costUsd)}`}
      </td>
    </>
  );
}
