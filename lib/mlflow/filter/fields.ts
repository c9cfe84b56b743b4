// Which names a filter may compare and with which operators. MLflow's SearchTraceUtils treats a
// bare name as a trace attribute and `trace.`, `attribute.`, `attributes.` as the same prefix.
import type { KeyedKind, NumericField, Op, SpanField, TraceStringField } from "./ast";
import type { Segment, Token } from "./lexer";

export type Target =
  | { kind: "status" }
  | { kind: "numeric"; field: NumericField }
  | { kind: "trace_string"; field: TraceStringField }
  | { kind: "span"; field: SpanField }
  | { kind: "span_attribute"; key: string }
  | { kind: KeyedKind; key: string }
  | { kind: "text" };

export type ValueKind = "status" | "number" | "string";

export interface ResolvedField {
  target: Target;
  /** The name as the user wrote it, for error messages. */
  display: string;
  ops: readonly Op[];
  value: ValueKind;
}

const STRING_OPS: readonly Op[] = ["=", "!=", "LIKE", "ILIKE", "RLIKE", "IN", "NOT IN"];
const KEYED_OPS: readonly Op[] = [...STRING_OPS, "IS NULL", "IS NOT NULL"];
const NUMERIC_OPS: readonly Op[] = ["=", "!=", "<", ">", "<=", ">="];
const STATUS_OPS: readonly Op[] = ["=", "!=", "IN", "NOT IN"];
const TEXT_OPS: readonly Op[] = ["LIKE", "ILIKE"];

// MLflow keeps run links as the `mlflow.sourceRun` trace metadata; `trace.run_id` is an alias.
const SOURCE_RUN_KEY = "mlflow.sourceRun";

const TRACE_FIELDS: Record<string, Target> = {
  status: { kind: "status" },
  timestamp_ms: { kind: "numeric", field: "timestamp_ms" },
  timestamp: { kind: "numeric", field: "timestamp_ms" },
  execution_time_ms: { kind: "numeric", field: "execution_time_ms" },
  execution_time: { kind: "numeric", field: "execution_time_ms" },
  end_time_ms: { kind: "numeric", field: "end_time_ms" },
  name: { kind: "trace_string", field: "name" },
  client_request_id: { kind: "trace_string", field: "client_request_id" },
  request_id: { kind: "trace_string", field: "request_id" },
  run_id: { kind: "metadata", key: SOURCE_RUN_KEY },
  text: { kind: "text" },
};
const TRACE_FIELD_LIST = Object.keys(TRACE_FIELDS).join(", ");

type Prefix = "trace" | "span" | KeyedKind;
const PREFIXES: Record<string, Prefix> = {
  trace: "trace",
  attribute: "trace",
  attributes: "trace",
  tag: "tag",
  tags: "tag",
  metadata: "metadata",
  request_metadata: "metadata",
  span: "span",
  feedback: "feedback",
  expectation: "expectation",
};
const PREFIX_LIST = Object.keys(PREFIXES).join(", ");

export type Fail = (pos: number, near: string, message: string) => never;

function opsFor(t: Target): { ops: readonly Op[]; value: ValueKind } {
  switch (t.kind) {
    case "status":
      return { ops: STATUS_OPS, value: "status" };
    case "numeric":
      return { ops: NUMERIC_OPS, value: "number" };
    case "text":
      return { ops: TEXT_OPS, value: "string" };
    case "tag":
    case "metadata":
    case "feedback":
    case "expectation":
      return { ops: KEYED_OPS, value: "string" };
    default:
      return { ops: STRING_OPS, value: "string" };
  }
}

/** Joins the segments that name a key (`tag.a.b` has key `a.b`); `tag.` and `` tag.`` `` have none. */
function keyOf(segs: Segment[], endPos: number, display: string, prefix: string, fail: Fail): string {
  const key = segs.map((s) => s.text).join(".");
  if (key === "") fail(segs[0]?.pos ?? endPos, display, `empty key after '${prefix}': expected a name, e.g. ${prefix}\`my.key\``);
  for (const s of segs) if (s.text === "" && !s.quoted) fail(s.pos, display, `empty name between dots in '${display}'`);
  // Control characters (NUL above all) are never part of a real key and break JSON paths.
  const bad = segs.find((s) => /[\u0000-\u001f\u007f]/.test(s.text));
  if (bad) fail(bad.pos, display, `control characters (such as NUL) are not allowed in a key`);
  return key;
}

/** Resolves an identifier token to what it compares; unknown names fail at their position. */
export function resolveField(tok: Extract<Token, { type: "ident" }>, fail: Fail): ResolvedField {
  const segs = tok.segments;
  const display = tok.raw;
  const first = segs[0]!;
  let target: Target;
  if (segs.length === 1) {
    target = TRACE_FIELDS[first.text.toLowerCase()] ?? fail(tok.pos, display, `unknown field '${display}' (trace fields: ${TRACE_FIELD_LIST})`);
  } else {
    const prefix = PREFIXES[first.text.toLowerCase()];
    if (!prefix) fail(tok.pos, display, `unknown prefix '${first.text}' (expected one of: ${PREFIX_LIST})`);
    const rest = segs.slice(1);
    if (prefix === "trace") {
      const name = rest.length === 1 ? TRACE_FIELDS[rest[0]!.text.toLowerCase()] : undefined;
      if (rest.length === 1 && rest[0]!.text === "") fail(rest[0]!.pos, display, `empty field name after '${first.text}.'`);
      target = name ?? fail(rest[0]!.pos, display, `unknown field '${display}' (trace fields: ${TRACE_FIELD_LIST})`);
    } else if (prefix === "span") {
      target = resolveSpan(rest, tok.pos + display.length, display, fail);
    } else {
      target = { kind: prefix, key: keyOf(rest, tok.pos + display.length, display, `${first.text}.`, fail) };
    }
  }
  return { target, display, ...opsFor(target) };
}

function resolveSpan(rest: Segment[], endPos: number, display: string, fail: Fail): Target {
  const head = rest[0]!;
  const name = head.text.toLowerCase();
  if (name === "attributes" && !head.quoted) return { kind: "span_attribute", key: keyOf(rest.slice(1), endPos, display, "span.attributes.", fail) };
  if (rest.length === 1 && (name === "name" || name === "type")) return { kind: "span", field: name };
  if (head.text === "") fail(head.pos, display, "empty field name after 'span.'");
  return fail(head.pos, display, `unknown span field '${rest.map((s) => s.text).join(".")}' (expected name, type or attributes.<key>)`);
}
