// The traces page's URL state and how it becomes one MLflow search. Pure, so the mapping from
// what a user sees in the address bar to the query is tested without a database.
import { z } from "zod";
import { RANGE_SPEC, TimeRangeSchema, type TimeRange } from "@/lib/read/experiments/time-range";

export const TRACE_ORDERS = {
  newest: { label: "Newest first", orderBy: "timestamp_ms DESC" },
  oldest: { label: "Oldest first", orderBy: "timestamp_ms ASC" },
  slowest: { label: "Slowest first", orderBy: "execution_time_ms DESC" },
  fastest: { label: "Fastest first", orderBy: "execution_time_ms ASC" },
  // ERROR sorts before IN_PROGRESS and OK; newest first within each (the search's total order).
  status: { label: "Failures first", orderBy: "status ASC" },
} as const;
export type TraceOrder = keyof typeof TRACE_ORDERS;
export const TraceOrderSchema = z.enum(Object.keys(TRACE_ORDERS) as [TraceOrder, ...TraceOrder[]]);

export const TRACE_PAGE_SIZES = [25, 50, 100] as const;

export const TraceQueryState = z.object({
  q: z.string().max(10_000).default(""),
  range: z
    .union([TimeRangeSchema, z.literal("all")])
    .catch("7d")
    .default("7d"),
  order: TraceOrderSchema.catch("newest").default("newest"),
  size: z.coerce
    .number()
    .pipe(z.union(TRACE_PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]))
    .catch(50)
    .default(50),
  /** The page token of the current page (absent on the first page). */
  page: z.string().max(2000).optional().catch(undefined),
  /** Tokens of the pages before this one, so "previous" works without the server keeping state. */
  back: z.string().max(20_000).optional().catch(undefined),
  /** The instant the range was anchored at on page one: later pages keep the same window (and token fingerprint). */
  at: z.coerce.number().int().positive().optional().catch(undefined),
});
export type TraceQueryState = z.output<typeof TraceQueryState>;

/** URL search params (as Next.js gives them) → state; anything malformed falls back to a default. */
export function parseTraceQueryState(params: Record<string, string | string[] | undefined>): TraceQueryState {
  const one = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return TraceQueryState.parse({
    q: one("q"),
    range: one("range"),
    order: one("order"),
    size: one("size"),
    page: one("page"),
    back: one("back"),
    at: one("at"),
  });
}

/**
 * The filter a search runs: the user's filter first (so the parser's positions refer to what
 * they typed) and the time window as one more clause.
 */
export function composeTraceFilter(userFilter: string, range: TimeRange | "all", anchor: number): string {
  const user = userFilter.trim();
  if (range === "all") return user;
  const clause = `trace.timestamp_ms >= ${anchor - RANGE_SPEC[range].ms}`;
  return user ? `${user} AND ${clause}` : clause;
}

const BACK_SEPARATOR = "~";

/** URL params for a state; defaults are left out so links stay short and shareable. */
export function traceQueryParams(s: Partial<TraceQueryState>): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.range && s.range !== "7d") p.set("range", s.range);
  if (s.order && s.order !== "newest") p.set("order", s.order);
  if (s.size && s.size !== 50) p.set("size", String(s.size));
  if (s.at) p.set("at", String(s.at));
  if (s.page) p.set("page", s.page);
  if (s.back) p.set("back", s.back);
  return p;
}

/** Links to the next and previous pages of the current search. */
export function tracePageLinks(s: TraceQueryState, anchor: number, nextToken: string | undefined) {
  const stack = s.back ? s.back.split(BACK_SEPARATOR) : [];
  const base = { q: s.q, range: s.range, order: s.order, size: s.size, at: anchor };
  const next = nextToken ? traceQueryParams({ ...base, page: nextToken, back: [...stack, s.page ?? ""].join(BACK_SEPARATOR) }) : null;
  let prev: URLSearchParams | null = null;
  if (s.page) {
    const before = stack.slice(0, -1);
    const prevToken = stack[stack.length - 1] || undefined;
    prev = traceQueryParams({ ...base, page: prevToken, back: before.length ? before.join(BACK_SEPARATOR) : undefined });
  }
  return { next, prev, pageNumber: stack.length + (s.page ? 1 : 0) + 1 };
}
