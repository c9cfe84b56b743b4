// The part of MLflow's trace search grammar the MLflow fixture answers, read from MLflow's
// utils/search_utils.py (SearchTraceUtils: attribute/metadata/tag keys, comparators, AND only)
// and sqlalchemy_store.search_traces (order_by keys, offset page tokens). What it does not know it
// refuses with INVALID_PARAMETER_VALUE, as MLflow does for an unknown key or comparator.
export class FixtureError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new FixtureError(400, "INVALID_PARAMETER_VALUE", message);

/** What a filter sees of a trace. */
export interface FilterRow {
  timestampMs: number;
  executionMs: number | null;
  state: string;
  name: string | null;
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

type Clause = (t: FilterRow) => boolean;

/** Splits on AND outside quotes and backticks (MLflow's grammar has no OR). */
function splitAnd(filter: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (quote) {
      if (c === quote) quote = null;
      cur += c;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      quote = c;
      cur += c;
      continue;
    }
    if (/\s/.test(c) && /^and\s/i.test(filter.slice(i + 1, i + 5)) && cur.trim()) {
      out.push(cur.trim());
      cur = "";
      i += 4;
      continue;
    }
    cur += c;
  }
  if (quote) throw invalid(`Invalid filter '${filter}': unterminated quote`);
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const NUMERIC = ["=", "!=", "<", ">", "<=", ">="] as const;
const STRING = ["=", "!="] as const;

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    default:
      return a >= b;
  }
}

const unquote = (v: string): string | null => {
  const m = /^(['"])(.*)\1$/.exec(v.trim());
  return m ? m[2]! : null;
};

function clause(text: string): Clause {
  const m = /^([A-Za-z_]+)\.(`[^`]+`|[A-Za-z0-9_.]+)\s*(IS NOT NULL|IS NULL|<=|>=|!=|=|<|>)\s*(.*)$/i.exec(text);
  if (!m) throw invalid(`Invalid clause(s) in filter string: '${text}'`);
  const [, entity, rawKey, rawOp, rawValue] = m as unknown as [string, string, string, string, string];
  const key = rawKey.replace(/^`|`$/g, "");
  const op = rawOp.toUpperCase();
  const kind = entity.toLowerCase();
  if (kind === "trace" || kind === "attribute" || kind === "attributes") {
    if (key === "timestamp_ms" || key === "execution_time_ms") {
      if (!(NUMERIC as readonly string[]).includes(op) || !/^\d+$/.test(rawValue.trim())) throw invalid(`Invalid comparison for '${key}': '${text}'`);
      const n = Number(rawValue.trim());
      return (t) => {
        const v = key === "timestamp_ms" ? t.timestampMs : t.executionMs;
        return v !== null && compare(op, v, n);
      };
    }
    if (key === "status" || key === "name") {
      const v = unquote(rawValue);
      if (v === null || !(STRING as readonly string[]).includes(op)) throw invalid(`Invalid comparison for '${key}': '${text}'`);
      return (t) => compare(op, key === "status" ? t.state : (t.name ?? ""), v);
    }
    throw invalid(`Invalid attribute key '${key}' specified.`);
  }
  if (kind === "metadata" || kind === "request_metadata" || kind === "tag" || kind === "tags") {
    const field = kind.startsWith("tag") ? "tags" : "metadata";
    if (op === "IS NULL") return (t) => !(key in t[field]);
    if (op === "IS NOT NULL") return (t) => key in t[field];
    const v = unquote(rawValue);
    if (v === null || !(STRING as readonly string[]).includes(op)) throw invalid(`Invalid comparison for ${field} '${key}': '${text}'`);
    return (t) => key in t[field] && compare(op, t[field][key]!, v);
  }
  throw invalid(`Invalid entity type '${entity}'. Valid values are ['trace', 'metadata', 'tag', 'span', 'feedback', 'expectation'].`);
}

/** A predicate over traces, or a FixtureError for what MLflow would refuse. */
export function parseTraceFilter(filter: string | undefined): Clause {
  if (!filter?.trim()) return () => true;
  const clauses = splitAnd(filter).map(clause);
  return (t) => clauses.every((c) => c(t));
}

/** order_by as MLflow takes it: timestamp_ms (default DESC), execution_time_ms, status, request_id. */
export function parseOrderBy(orderBy: string[] | undefined): (a: FilterRow & { traceId: string }, b: FilterRow & { traceId: string }) => number {
  const keys = (orderBy?.length ? orderBy : ["timestamp_ms DESC"]).map((o) => {
    const m = /^\s*(?:attributes?\.|trace\.)?(timestamp_ms|execution_time_ms|status|request_id)(?:\s+(ASC|DESC))?\s*$/i.exec(o);
    if (!m) throw invalid(`Invalid order_by clause '${o}'.`);
    return { key: m[1]!.toLowerCase(), desc: (m[2] ?? "ASC").toUpperCase() === "DESC" };
  });
  // MLflow appends request_id ASC as the tie-breaker (sqlalchemy_store._get_orderby_clauses_for_search_traces).
  if (!keys.some((k) => k.key === "request_id")) keys.push({ key: "request_id", desc: false });
  const get = (r: FilterRow & { traceId: string }, k: string): number | string =>
    k === "timestamp_ms" ? r.timestampMs : k === "execution_time_ms" ? (r.executionMs ?? -1) : k === "status" ? r.state : r.traceId;
  return (a, b) => {
    for (const k of keys) {
      const x = get(a, k.key);
      const y = get(b, k.key);
      if (x !== y) return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return 0;
  };
}

/** MLflow's page tokens: base64 of {"offset": n} (SearchUtils.create_page_token). */
export const pageTokenFor = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");

export function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
  } catch {
    throw invalid(`Invalid page token, decoded value=${token}`);
  }
  const offset = (parsed as { offset?: unknown })?.offset;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw invalid("Invalid page token, parsed value has no valid offset");
  return offset;
}
