// Parser for MLflow's trace search filter: `clause (AND clause)*`, no OR, no parentheses.
import type { Clause, FilterAst, Op } from "./ast";
import { resolveField, type Fail, type ResolvedField } from "./fields";
import { filterError, isKeyword, tokenize, type Token } from "./lexer";
import { FILTER_LIMITS } from "./limits";
import { compileRegex } from "./match";
import { traceStates } from "@/db/schema/traces";
import type { TraceState } from "../types";

const STATES: readonly string[] = traceStates;

/** Parses a filter string; null, undefined or blank matches every trace. */
export function parseFilter(s: string | null | undefined): FilterAst {
  if (s == null || s.trim() === "") return { clauses: [] };
  const src = s;
  const fail: Fail = (pos, near, message) => filterError(src, pos, near, message);
  if (src.length > FILTER_LIMITS.maxFilterChars) {
    fail(FILTER_LIMITS.maxFilterChars, "", `the filter is longer than ${FILTER_LIMITS.maxFilterChars} characters`);
  }
  const toks = tokenize(src);
  let i = 0;
  const clauses: Clause[] = [];
  for (;;) {
    if (clauses.length === FILTER_LIMITS.maxClauses) {
      fail(toks[i]!.pos, toks[i]!.raw, `a filter may have at most ${FILTER_LIMITS.maxClauses} clauses`);
    }
    clauses.push(parseClause());
    const t = toks[i]!;
    if (t.type === "end") break;
    if (isKeyword(t, "AND")) {
      i++;
      if (toks[i]!.type === "end") fail(t.pos, t.raw, "dangling AND: expected a clause after it");
      continue;
    }
    if (isKeyword(t, "OR")) fail(t.pos, t.raw, "OR is not supported: combine clauses with AND only");
    fail(t.pos, t.raw, "expected AND or the end of the filter");
  }
  return { clauses };

  function parseClause(): Clause {
    const t = toks[i]!;
    if (t.type === "end") fail(t.pos, "", "expected a field name");
    if (isKeyword(t, "AND") || isKeyword(t, "OR")) fail(t.pos, t.raw, `expected a field name before ${t.raw.toUpperCase()}`);
    if (t.type !== "ident") fail(t.pos, t.raw, "expected a field name such as trace.status or tag.`key`");
    i++;
    const field = resolveField(t, fail);
    const opTok = toks[i]!;
    const op = readOp(field);
    if (!field.ops.includes(op)) {
      fail(opTok.pos, opTok.raw, `operator ${op} is not allowed for ${field.display} (allowed: ${field.ops.join(", ")})`);
    }
    if (op === "IS NULL" || op === "IS NOT NULL") return { ...field.target, op } as Clause;
    if (op === "IN" || op === "NOT IN") return { ...field.target, op, value: readList(field, op) } as Clause;
    return { ...field.target, op, value: readValue(field, op) } as Clause;
  }

  /** Reads a comparison operator, including the multi-word IS [NOT] NULL and NOT IN. */
  function readOp(field: ResolvedField): Op {
    const t = toks[i]!;
    const missing = () => fail(t.pos, t.raw, `expected an operator after ${field.display} (allowed: ${field.ops.join(", ")})`);
    if (t.type === "op") {
      i++;
      return t.value;
    }
    for (const word of ["LIKE", "ILIKE", "RLIKE", "IN"] as const) {
      if (isKeyword(t, word)) {
        i++;
        return word;
      }
    }
    if (isKeyword(t, "NOT")) {
      i++;
      if (!isKeyword(toks[i]!, "IN")) fail(toks[i]!.pos, toks[i]!.raw, "expected IN after NOT");
      i++;
      return "NOT IN";
    }
    if (isKeyword(t, "IS")) {
      i++;
      const negated = isKeyword(toks[i]!, "NOT");
      if (negated) i++;
      if (!isKeyword(toks[i]!, "NULL")) fail(toks[i]!.pos, toks[i]!.raw, `expected NULL after IS${negated ? " NOT" : ""}`);
      i++;
      return negated ? "IS NOT NULL" : "IS NULL";
    }
    return missing();
  }

  function readList(field: ResolvedField, op: Op): string[] {
    const open = toks[i]!;
    if (open.type !== "punct" || open.value !== "(") fail(open.pos, open.raw, `expected '(' and a list of quoted values after ${op}`);
    i++;
    const values: string[] = [];
    for (;;) {
      if (values.length === FILTER_LIMITS.maxListValues) {
        fail(toks[i]!.pos, toks[i]!.raw, `a value list may have at most ${FILTER_LIMITS.maxListValues} values`);
      }
      values.push(readValue(field, op) as string);
      const t = toks[i]!;
      i++;
      if (t.type === "punct" && t.value === ")") return values;
      if (!(t.type === "punct" && t.value === ",")) fail(t.pos, t.raw, "expected ',' or ')' in the value list");
    }
  }

  /** Reads one literal and checks it fits the field: numbers, quoted strings, trace states, regexes. */
  function readValue(field: ResolvedField, op: Op): string | number {
    const t = toks[i]!;
    if (t.type !== "string" && t.type !== "number") {
      const want = field.value === "number" ? "a number" : "a quoted string";
      return fail(t.pos, t.raw, `expected ${want} after ${op}${t.type === "ident" ? " (string values must be quoted)" : ""}`);
    }
    i++;
    if (field.value === "number") return numberValue(t, field);
    if (t.type === "number") {
      // MLflow rejects numeric literals for string fields and asks for a quoted value.
      return fail(t.pos, t.raw, `expected a quoted string for ${field.display}, got the number ${t.raw} (write '${t.raw}')`);
    }
    if (field.value === "status" && !STATES.includes(t.value)) {
      return fail(t.pos, t.raw, `invalid status '${t.value}' (expected one of: ${STATES.join(", ")})`);
    }
    if (op === "RLIKE") {
      const err = compileRegex(t.value).error;
      if (err) fail(t.pos, t.raw, `invalid regular expression for RLIKE: ${err}`);
    }
    return t.value as TraceState | string;
  }

  function numberValue(t: Extract<Token, { type: "string" | "number" }>, field: ResolvedField): number {
    if (t.type === "number") return t.value;
    // MLflow passes quoted numbers through to SQL, where they compare as numbers; accept those.
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(t.value)) return Number(t.value);
    return fail(t.pos, t.raw, `expected a number for ${field.display}, got the string ${t.raw}`);
  }
}
