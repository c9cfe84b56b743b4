// MLflow's search_experiments filter: `name LIKE 'prod-%' AND tags.team = 'ml'`. Experiments are
// few, so the filter is evaluated in memory; that also keeps LIKE case-sensitive as in MLflow
// (SQLite's LIKE is not). LIKE/ILIKE share the trace filter's matcher, so no pattern backtracks.
import { InvalidParameterError } from "@/lib/core";
import { matchString } from "@/lib/mlflow/filter";
import type { ExperimentRow } from "./experiment-json";

type StrOp = "=" | "!=" | "LIKE" | "ILIKE";
type NumOp = "=" | "!=" | "<" | ">" | "<=" | ">=";
export type ExperimentClause =
  | { field: "name"; op: StrOp; value: string }
  | { field: "tag"; key: string; op: StrOp; value: string }
  | { field: "creation_time" | "last_update_time"; op: NumOp; value: number };

const fail = (filter: string, pos: number, why: string): never => {
  throw new InvalidParameterError(`Invalid filter '${filter}' at position ${pos}: ${why}`);
};

/** Parses an AND-joined filter; an empty or blank filter has no clauses. */
export function parseExperimentFilter(filter: string | undefined): ExperimentClause[] {
  const s = filter ?? "";
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const quoted = (q: string): string => {
    const start = i++;
    let out = "";
    while (i < s.length) {
      if (s[i] === q && s[i + 1] === q) {
        out += q;
        i += 2;
      } else if (s[i] === q) {
        i++;
        return out;
      } else out += s[i++];
    }
    return fail(s, start, `unterminated ${q === "`" ? "backtick" : "quoted"} string`);
  };
  const ident = (): string[] => {
    const segs: string[] = [];
    for (;;) {
      if (s[i] === "`" || s[i] === '"') segs.push(quoted(s[i]!));
      else {
        const m = /^[A-Za-z_][\w]*/.exec(s.slice(i));
        if (!m) return fail(s, i, "expected an attribute (name, creation_time, last_update_time) or tags.<key>");
        segs.push(m[0]);
        i += m[0].length;
      }
      if (s[i] !== ".") return segs;
      i++;
    }
  };
  const clauses: ExperimentClause[] = [];
  ws();
  while (i < s.length) {
    const at = i;
    const segs = ident();
    ws();
    const opm = /^(!=|<=|>=|=|<|>|ILIKE\b|LIKE\b)/i.exec(s.slice(i));
    if (!opm) return fail(s, i, "expected a comparison operator (=, !=, <, >, <=, >=, LIKE, ILIKE)");
    const op = opm[0].toUpperCase();
    i += opm[0].length;
    ws();
    let value: string | number;
    if (s[i] === "'" || s[i] === '"') value = quoted(s[i]!);
    else {
      const m = /^-?\d+/.exec(s.slice(i));
      if (!m) return fail(s, i, "expected a quoted string or a number");
      value = Number(m[0]);
      i += m[0].length;
    }
    clauses.push(toClause(s, at, segs, op, value));
    ws();
    if (i >= s.length) break;
    const andm = /^AND\b/i.exec(s.slice(i));
    if (!andm) return fail(s, i, "expected AND between clauses (OR is not supported)");
    i += 3;
    ws();
    if (i >= s.length) fail(s, i, "expected a clause after AND");
  }
  return clauses;
}

function toClause(s: string, at: number, segs: string[], op: string, value: string | number): ExperimentClause {
  const [head, ...rest] = segs;
  const prefix = head!.toLowerCase();
  if ((prefix === "tags" || prefix === "tag") && rest.length > 0) {
    if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) fail(s, at, `operator ${op} is not supported for tags`);
    if (typeof value !== "string") fail(s, at, "tag values must be quoted strings");
    return { field: "tag", key: rest.join("."), op: op as StrOp, value: value as string };
  }
  const attr = (prefix === "attribute" || prefix === "attributes") && rest.length === 1 ? rest[0]! : segs.length === 1 ? head! : "";
  if (attr === "name") {
    if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) fail(s, at, `operator ${op} is not supported for name`);
    if (typeof value !== "string") fail(s, at, "name must be compared with a quoted string");
    return { field: "name", op: op as StrOp, value: value as string };
  }
  if (attr === "creation_time" || attr === "last_update_time") {
    if (typeof value !== "number") fail(s, at, `${attr} must be compared with a number`);
    if (op === "LIKE" || op === "ILIKE") fail(s, at, `operator ${op} is not supported for ${attr}`);
    return { field: attr, op: op as NumOp, value: value as number };
  }
  return fail(s, at, `unknown field '${segs.join(".")}'; expected name, creation_time, last_update_time or tags.<key>`);
}

/** = and != compare exactly; LIKE and ILIKE run on the trace filter's RE2 matcher (linear, budgeted). */
function matchText(actual: string | undefined, op: StrOp, value: string): boolean {
  return matchString({ op, value }, actual);
}

function matchNumber(actual: number, op: NumOp, v: number): boolean {
  switch (op) {
    case "=":
      return actual === v;
    case "!=":
      return actual !== v;
    case "<":
      return actual < v;
    case ">":
      return actual > v;
    case "<=":
      return actual <= v;
    case ">=":
      return actual >= v;
  }
}

export function matchesExperiment(row: ExperimentRow, tags: Record<string, string>, clauses: ExperimentClause[]): boolean {
  return clauses.every((c) => {
    if (c.field === "name") return matchText(row.name, c.op, c.value);
    if (c.field === "tag") return matchText(tags[c.key], c.op, c.value);
    return matchNumber(c.field === "creation_time" ? row.creationTime : row.lastUpdateTime, c.op, c.value);
  });
}
