// order_by for trace search, as MLflow's SearchTraceUtils: `key [ASC|DESC]`, ascending when no
// direction is given, newest first when no order is given, trace id as the final tie-breaker.
import { asc, desc, type Column, type SQL } from "drizzle-orm";
import { traces } from "@/db/schema/traces";
import type { OrderBy, OrderByKey } from "./ast";
import { filterError, isKeyword, tokenize } from "./lexer";

const KEYS: Record<string, OrderByKey> = {
  timestamp_ms: "timestamp_ms",
  timestamp: "timestamp_ms",
  execution_time_ms: "execution_time_ms",
  execution_time: "execution_time_ms",
  status: "status",
  request_id: "request_id",
  name: "name",
  experiment_id: "experiment_id",
};
const KEY_LIST = Object.keys(KEYS).join(", ");
const TRACE_PREFIXES = new Set(["trace", "attribute", "attributes"]);

export const DEFAULT_ORDER_BY: readonly OrderBy[] = [{ key: "timestamp_ms", ascending: false }];

/** Parses MLflow order_by strings; an absent or empty list means timestamp_ms DESC. */
export function parseOrderBy(list: string[] | undefined): OrderBy[] {
  if (!list || list.length === 0) return [...DEFAULT_ORDER_BY];
  return list.map((entry, idx) => parseOne(entry, `order_by[${idx}]`));
}

function parseOne(src: string, what: string): OrderBy {
  const fail = (pos: number, near: string, msg: string): never => filterError(src, pos, near, msg, what);
  const toks = tokenize(src, what);
  const t = toks[0]!;
  if (t.type === "end") fail(0, "", `expected a key (one of: ${KEY_LIST})`);
  if (t.type !== "ident") return fail(t.pos, t.raw, `expected a key (one of: ${KEY_LIST})`);
  const segs = t.segments;
  const prefixOk = segs.length === 2 && TRACE_PREFIXES.has(segs[0]!.text.toLowerCase());
  const name = segs.length === 1 ? segs[0]!.text : prefixOk ? segs[1]!.text : undefined;
  const key = name === undefined ? undefined : KEYS[name.toLowerCase()];
  if (!key) fail(t.pos, t.raw, `unknown order_by key '${t.raw}' (allowed: ${KEY_LIST}, optionally prefixed with trace.)`);
  let ascending = true;
  let i = 1;
  const dir = toks[i]!;
  if (isKeyword(dir, "ASC") || isKeyword(dir, "DESC")) {
    ascending = isKeyword(dir, "ASC");
    i++;
  } else if (dir.type !== "end") {
    fail(dir.pos, dir.raw, `expected ASC or DESC after ${t.raw}`);
  }
  const rest = toks[i]!;
  if (rest.type !== "end") fail(rest.pos, rest.raw, "expected the end of the order_by clause");
  return { key: key!, ascending };
}

const COLUMNS: Record<OrderByKey, Column> = {
  timestamp_ms: traces.requestTime,
  execution_time_ms: traces.executionDurationMs,
  status: traces.state,
  request_id: traces.traceId,
  name: traces.name,
  experiment_id: traces.experimentId,
};

/**
 * The order actually applied: like MLflow, timestamp DESC is appended when absent, then the trace
 * id, so the order is total and keyset pagination never skips or repeats a trace.
 */
export function totalOrderBy(orderBy: readonly OrderBy[]): OrderBy[] {
  const full = [...orderBy];
  if (!full.some((o) => o.key === "timestamp_ms")) full.push({ key: "timestamp_ms", ascending: false });
  if (!full.some((o) => o.key === "request_id")) full.push({ key: "request_id", ascending: true });
  return full;
}

/** ORDER BY expressions over `traces` for totalOrderBy(orderBy). */
export function compileOrderBy(orderBy: readonly OrderBy[]): SQL[] {
  return totalOrderBy(orderBy).map((o) => (o.ascending ? asc(COLUMNS[o.key]) : desc(COLUMNS[o.key])));
}
