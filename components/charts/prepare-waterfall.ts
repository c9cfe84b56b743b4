// Spans → rows of a waterfall: depth-first by start time, each bar placed as a share of the
// trace's duration. Times are nanosecond strings, so offsets are computed with BigInt.
export interface WaterfallSpanIn {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  span_type: string | null;
  start_time_ns: string;
  end_time_ns: string | null;
  status_code: string;
}

export interface WaterfallRow {
  spanId: string;
  name: string;
  type: string;
  depth: number;
  startMs: number;
  durationMs: number;
  leftPct: number;
  widthPct: number;
  error: boolean;
  /** The span had not ended when the trace was read. */
  open: boolean;
}

export interface Waterfall {
  rows: WaterfallRow[];
  totalMs: number;
}

const toMs = (ns: bigint) => Number(ns / 1000n) / 1000;

export function prepareWaterfall(spans: readonly WaterfallSpanIn[]): Waterfall {
  if (spans.length === 0) return { rows: [], totalMs: 0 };
  const start = spans.reduce((m, s) => (BigInt(s.start_time_ns) < m ? BigInt(s.start_time_ns) : m), BigInt(spans[0]!.start_time_ns));
  const end = spans.reduce((m, s) => {
    const e = BigInt(s.end_time_ns ?? s.start_time_ns);
    return e > m ? e : m;
  }, start);
  const totalMs = toMs(end - start);
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, WaterfallSpanIn[]>();
  for (const s of spans) {
    // A span whose parent never arrived is shown as a root rather than hidden.
    const parent = s.parent_span_id && ids.has(s.parent_span_id) && s.parent_span_id !== s.span_id ? s.parent_span_id : null;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  for (const list of children.values()) {
    list.sort((a, b) => {
      const d = BigInt(a.start_time_ns) - BigInt(b.start_time_ns);
      return d < 0n ? -1 : d > 0n ? 1 : a.span_id.localeCompare(b.span_id);
    });
  }
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (s: WaterfallSpanIn, depth: number) => {
    if (seen.has(s.span_id)) return; // a parent cycle in bad data must not loop forever
    seen.add(s.span_id);
    const sStart = BigInt(s.start_time_ns);
    const sEnd = s.end_time_ns ? BigInt(s.end_time_ns) : end;
    const startMs = toMs(sStart - start);
    const durationMs = toMs(sEnd - sStart);
    rows.push({
      spanId: s.span_id,
      name: s.name,
      type: s.span_type ?? "UNKNOWN",
      depth,
      startMs,
      durationMs,
      leftPct: totalMs > 0 ? (100 * startMs) / totalMs : 0,
      widthPct: totalMs > 0 ? (100 * durationMs) / totalMs : 100,
      error: s.status_code === "STATUS_CODE_ERROR",
      open: s.end_time_ns === null,
    });
    for (const c of children.get(s.span_id) ?? []) visit(c, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  // Spans only reachable through a cycle have no root; list them at the top level.
  for (const s of spans) if (!seen.has(s.span_id)) visit(s, 0);
  return { rows, totalMs };
}
