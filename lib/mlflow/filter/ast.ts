// The typed result of parsing an MLflow trace search filter. One AST feeds both the in-memory
// evaluator (evaluate.ts) and the SQL compiler (sql.ts), so they cannot disagree on meaning.
import type { TraceState } from "../types";

export type StringOp = "=" | "!=" | "LIKE" | "ILIKE" | "RLIKE";
export type ListOp = "IN" | "NOT IN";
export type NumericOp = "=" | "!=" | "<" | ">" | "<=" | ">=";
export type NullOp = "IS NULL" | "IS NOT NULL";
export type Op = StringOp | ListOp | NumericOp | NullOp;

/** A comparison against a string-valued field (a missing value never matches). */
export type StringMatch = { op: StringOp; value: string } | { op: ListOp; value: string[] };
/** Presence test on a keyed field (tag, metadata, feedback, expectation). */
export type NullCheck = { op: NullOp };

export type NumericField = "timestamp_ms" | "execution_time_ms" | "end_time_ms";
export type TraceStringField = "name" | "client_request_id" | "request_id";
export type SpanField = "name" | "type";
export type KeyedKind = "tag" | "metadata" | "feedback" | "expectation";

export type StatusClause = { kind: "status" } & ({ op: "=" | "!="; value: TraceState } | { op: ListOp; value: TraceState[] });
export type NumericClause = { kind: "numeric"; field: NumericField; op: NumericOp; value: number };
export type TraceStringClause = { kind: "trace_string"; field: TraceStringField } & StringMatch;
export type SpanClause = { kind: "span"; field: SpanField } & StringMatch;
export type SpanAttributeClause = { kind: "span_attribute"; key: string } & StringMatch;
export type KeyedClause = { kind: KeyedKind; key: string } & (StringMatch | NullCheck);
/** Full-text search over request/response and span names, types and attributes. */
export type TextClause = { kind: "text"; op: "LIKE" | "ILIKE"; value: string };

export type Clause = StatusClause | NumericClause | TraceStringClause | SpanClause | SpanAttributeClause | KeyedClause | TextClause;

/** Clauses are AND-ed; an empty list matches every trace. */
export interface FilterAst {
  clauses: Clause[];
}

export type OrderByKey = "timestamp_ms" | "execution_time_ms" | "status" | "request_id" | "name" | "experiment_id";

export interface OrderBy {
  key: OrderByKey;
  ascending: boolean;
}
