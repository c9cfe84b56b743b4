// In-memory evaluation of a parsed filter over a TraceData. Semantics mirror sql.ts exactly
// (the SQL tests check both give the same trace ids): a missing value never matches.
import type { Clause, FilterAst, KeyedClause, NumericClause, StringMatch } from "./ast";
import { jsonValueText, like, asciiLower, matchString } from "./match";
import type { Assessment, TraceData } from "../types";

export function matchesTrace(ast: FilterAst, trace: TraceData): boolean {
  return ast.clauses.every((c) => matchesClause(c, trace));
}

function own(obj: Record<string, unknown> | undefined, key: string): unknown {
  // Own properties only: a key like "constructor" must not reach Object.prototype.
  return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function matchesClause(c: Clause, trace: TraceData): boolean {
  const info = trace.info;
  switch (c.kind) {
    case "status":
      return matchString(c as StringMatch, info.state);
    case "numeric":
      return compareNumber(c, numericValue(c, trace));
    case "trace_string":
      return matchString(c, c.field === "name" ? info.name : c.field === "request_id" ? info.trace_id : info.client_request_id);
    case "span":
      return trace.spans.some((s) => matchString(c, c.field === "name" ? s.name : s.span_type));
    case "span_attribute":
      return trace.spans.some((s) => matchString(c, jsonValueText(own(s.attributes, c.key))));
    case "tag":
    case "metadata": {
      const v = jsonValueText(own(c.kind === "tag" ? info.tags : info.trace_metadata, c.key));
      return matchKeyed(c, v !== null, [v]);
    }
    case "feedback":
    case "expectation": {
      const values = assessmentValues(info.assessments ?? [], c.kind, c.key);
      return matchKeyed(c, values.length > 0, values);
    }
    case "text":
      return textFields(trace).some((t) => (c.op === "LIKE" ? like(t, c.value) : like(asciiLower(t), asciiLower(c.value))));
  }
}

function numericValue(c: NumericClause, trace: TraceData): number | null {
  const info = trace.info;
  if (c.field === "timestamp_ms") return info.timestamp_ms;
  if (c.field === "execution_time_ms") return info.execution_time_ms;
  return info.end_time_ms;
}

function compareNumber(c: NumericClause, v: number | null | undefined): boolean {
  if (v == null) return false;
  switch (c.op) {
    case "=":
      return v === c.value;
    case "!=":
      return v !== c.value;
    case "<":
      return v < c.value;
    case ">":
      return v > c.value;
    case "<=":
      return v <= c.value;
    case ">=":
      return v >= c.value;
  }
}

/**
 * Keyed fields hold zero or more values (a tag at most one; several valid assessments may share a
 * name). IS NOT NULL means "present", IS NULL "absent", a comparison "some value matches".
 */
function matchKeyed(c: KeyedClause, present: boolean, values: (string | null)[]): boolean {
  if (c.op === "IS NULL") return !present;
  if (c.op === "IS NOT NULL") return present;
  return values.some((v) => matchString(c as StringMatch, v));
}

/** Values of the valid assessments of one kind and name; an error-only one is present with no value. */
function assessmentValues(all: Assessment[], kind: "feedback" | "expectation", name: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const a of all) {
    if (a.assessment_name !== name || a.valid === false) continue;
    const body = kind === "feedback" ? a.feedback : a.expectation;
    if (body !== undefined) out.push(jsonValueText(body.value));
  }
  return out;
}

/** The texts `trace.text` searches: request, response, previews, and every span's name, type and attributes. */
export function textFields(trace: TraceData): string[] {
  const info = trace.info;
  const out: string[] = [];
  const push = (v: string | null | undefined) => {
    if (v != null) out.push(v);
  };
  push(info.request_preview);
  push(info.response_preview);
  // Request/response are stored as JSON text; a JSON null is treated as absent on both sides.
  push(info.request == null ? null : JSON.stringify(info.request));
  push(info.response == null ? null : JSON.stringify(info.response));
  for (const s of trace.spans) {
    push(s.name);
    push(s.span_type);
    push(JSON.stringify(s.attributes));
  }
  return out;
}
