// Keyset pagination over the trace order. The order list is made total (timestamp, then trace
// id, exactly as compileOrderBy completes it), and "after the last row" follows SQLite's NULL
// ordering: NULL sorts first ascending and last descending.
import { and, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type Column, type SQL } from "drizzle-orm";
import { traces } from "@/db/schema";
import type { OrderBy, OrderByKey } from "@/lib/mlflow/filter";
import type { TraceRow } from "@/lib/mlflow/convert";
import type { KeyValue } from "./page-token";

const KEYS: Record<OrderByKey, { col: Column; get: (r: TraceRow) => KeyValue; nullable: boolean }> = {
  timestamp_ms: { col: traces.requestTime, get: (r) => r.requestTime, nullable: false },
  execution_time_ms: { col: traces.executionDurationMs, get: (r) => r.executionDurationMs, nullable: true },
  status: { col: traces.state, get: (r) => r.state, nullable: false },
  request_id: { col: traces.traceId, get: (r) => r.traceId, nullable: false },
  name: { col: traces.name, get: (r) => r.name, nullable: true },
  experiment_id: { col: traces.experimentId, get: (r) => r.experimentId, nullable: false },
};

/** The order actually applied: the requested keys, then timestamp DESC and trace id ASC if absent. */
export function totalOrder(orderBy: readonly OrderBy[]): OrderBy[] {
  const full = [...orderBy];
  if (!full.some((o) => o.key === "timestamp_ms")) full.push({ key: "timestamp_ms", ascending: false });
  if (!full.some((o) => o.key === "request_id")) full.push({ key: "request_id", ascending: true });
  return full;
}

export function keysOf(row: TraceRow, order: readonly OrderBy[]): KeyValue[] {
  return order.map((o) => KEYS[o.key].get(row));
}

function equal(col: Column, v: KeyValue): SQL {
  return v === null ? isNull(col) : eq(col, v);
}

function after(col: Column, v: KeyValue, ascending: boolean): SQL {
  if (ascending) return v === null ? isNotNull(col) : gt(col, v);
  return v === null ? sql`0` : or(lt(col, v), isNull(col))!;
}

/** Rows strictly after `last` in the total order. */
export function afterKeys(order: readonly OrderBy[], last: KeyValue[]): SQL {
  const branches = order.map((o, i) => {
    const prefix = order.slice(0, i).map((p, j) => equal(KEYS[p.key].col, last[j] ?? null));
    return and(...prefix, after(KEYS[o.key].col, last[i] ?? null, o.ascending))!;
  });
  const any = or(...branches)!;
  // The OR above is exact but opaque to SQLite's planner; a redundant range on the leading key
  // (when it cannot be NULL) lets an index seek to the page instead of scanning from the start.
  const lead = order[0];
  const v = last[0] ?? null;
  if (!lead || v === null || KEYS[lead.key].nullable) return any;
  const col = KEYS[lead.key].col;
  return and(lead.ascending ? gte(col, v) : lte(col, v), any)!;
}
