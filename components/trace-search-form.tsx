"use client";
import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { TRACE_ORDERS, TRACE_PAGE_SIZES, traceQueryParams, type TraceOrder, type TraceQueryState } from "@/lib/read/traces/trace-query";
import { RANGE_SPEC, TIME_RANGES } from "@/lib/read/experiments/time-range";
import { FilterField, type FilterValidator } from "./filter-field";

const EXAMPLES = ["trace.status = 'ERROR'", "trace.execution_time_ms > 5000", "span.type = 'TOOL'", "trace.text LIKE '%refund%'"];

/** The traces page's search bar: every choice becomes URL state, so a search is a shareable link. */
export function TraceSearchForm({ state, validate }: { state: TraceQueryState; validate: FilterValidator }) {
  const router = useRouter();
  const pathname = usePathname();
  const [q, setQ] = useState(state.q);
  const [pending, startTransition] = useTransition();
  // A new search starts at page one with a fresh time anchor: the old tokens belong to the old search.
  const go = (next: Partial<TraceQueryState>) => {
    const params = traceQueryParams({ q: state.q, range: state.range, order: state.order, size: state.size, ...next });
    startTransition(() => router.push(`${pathname}${params.size ? `?${params}` : ""}`));
  };
  return (
    <form
      className="panel no-print"
      role="search"
      aria-label="Search traces"
      style={{ marginBottom: 12 }}
      onSubmit={(e) => {
        e.preventDefault();
        go({ q: q.trim() });
      }}
    >
      <div className="toolbar">
        <div className="grow">
          <FilterField value={q} onChange={setQ} validate={validate} name="q" />
        </div>
        <div className="field">
          <label htmlFor="trace-range">Time range</label>
          <select id="trace-range" value={state.range} onChange={(e) => go({ q: q.trim(), range: e.target.value as TraceQueryState["range"] })}>
            {TIME_RANGES.map((r) => (
              <option key={r} value={r}>
                {RANGE_SPEC[r].label}
              </option>
            ))}
            <option value="all">All time</option>
          </select>
          <div className="hint">&nbsp;</div>
        </div>
        <div className="field">
          <label htmlFor="trace-order">Order</label>
          <select id="trace-order" value={state.order} onChange={(e) => go({ q: q.trim(), order: e.target.value as TraceOrder })}>
            {Object.entries(TRACE_ORDERS).map(([k, o]) => (
              <option key={k} value={k}>
                {o.label}
              </option>
            ))}
          </select>
          <div className="hint">&nbsp;</div>
        </div>
        <div className="field">
          <label htmlFor="trace-size">Per page</label>
          <select id="trace-size" value={state.size} onChange={(e) => go({ q: q.trim(), size: Number(e.target.value) as TraceQueryState["size"] })}>
            {TRACE_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <div className="hint">&nbsp;</div>
        </div>
        <div className="field">
          <span className="label" aria-hidden>
            &nbsp;
          </span>
          <button type="submit" className="btn primary" disabled={pending}>
            {pending ? "Searching…" : "Search"}
          </button>
          <div className="hint">&nbsp;</div>
        </div>
      </div>
      <div className="small muted">
        Try:{" "}
        {EXAMPLES.map((ex) => (
          <button key={ex} type="button" className="btn small" style={{ marginRight: 6, marginTop: 4 }} onClick={() => setQ(ex)}>
            <code>{ex}</code>
          </button>
        ))}
      </div>
    </form>
  );
}
