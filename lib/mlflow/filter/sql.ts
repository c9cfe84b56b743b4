// Compiles a parsed filter to a WHERE fragment over `traces` (SQLite). Every user value is a
// bound parameter; only operators from the typed AST are written into the SQL text.
import type Database from "better-sqlite3";
import { sql, type Column, type SQL } from "drizzle-orm";
import { assessments } from "@/db/schema/assessments";
import { runTraceLinks } from "@/db/schema/runs";
import { onEveryConnection } from "@/db/client";
import { spans, traces } from "@/db/schema/traces";
import type { Clause, FilterAst, KeyedClause, NumericField, StringMatch, TraceStringField } from "./ast";
import { regexSearch } from "./match";

type Expr = SQL | Column;

/**
 * Registers what the compiled SQL relies on, once per connection: case-sensitive LIKE (MLflow's
 * LIKE is case-sensitive; ILIKE is lower() LIKE lower()) and REGEXP backed by the same JavaScript
 * regular expressions the in-memory evaluator uses.
 */
export function installFilterSqlFunctions(sqlite: Database.Database): void {
  sqlite.pragma("case_sensitive_like = ON");
  sqlite.function("regexp", { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (pattern == null || value == null) return null;
    return regexSearch(String(pattern), String(value)) ? 1 : 0;
  });
}
// Every connection, whoever opens it: compiled filters rely on both.
onEveryConnection(installFilterSqlFunctions);

/** A WHERE condition for a query whose FROM is the (unaliased) `traces` table. */
export function compileFilterToSql(ast: FilterAst): SQL {
  if (ast.clauses.length === 0) return sql`1 = 1`;
  return sql.join(
    ast.clauses.map((c) => sql`(${clauseSql(c)})`),
    sql` AND `,
  );
}

const NUMERIC_COLUMNS: Record<NumericField, Column> = {
  timestamp_ms: traces.requestTime,
  execution_time_ms: traces.executionDurationMs,
  end_time_ms: traces.endTimeMs,
};
const TRACE_STRING_COLUMNS: Record<TraceStringField, Column> = {
  name: traces.name,
  client_request_id: traces.clientRequestId,
  request_id: traces.traceId,
};

function clauseSql(c: Clause): SQL {
  switch (c.kind) {
    case "status":
      return stringMatchSql(traces.state, c as StringMatch);
    case "numeric":
      // The operator comes from the closed NumericOp union, never from user text.
      return sql`${NUMERIC_COLUMNS[c.field]} ${sql.raw(c.op)} ${c.value}`;
    case "trace_string":
      return stringMatchSql(TRACE_STRING_COLUMNS[c.field], c);
    case "span":
      return anySpan(stringMatchSql(c.field === "name" ? spans.name : spans.spanType, c));
    case "span_attribute":
      return anySpan(stringMatchSql(jsonMemberText(spans.attributes, c.key), c));
    case "metadata":
      // Metadata is map<string, string>, so ->> gives the same text; with the path as a literal
      // the expression can use the indexes on well-known keys (user, session, source run).
      if (c.op === "=" && c.key === "mlflow.sourceRun") {
        // A run's traces are those it made and those linked to it (LinkTracesToRun), as in MLflow.
        return sql`${traces.traceMetadata} ->> ${sql.raw(sqlStringLiteral(jsonMemberPath(c.key)))} = ${c.value}
          OR EXISTS (SELECT 1 FROM ${runTraceLinks} WHERE ${runTraceLinks.traceId} = ${traces.traceId} AND ${runTraceLinks.runId} = ${c.value})`;
      }
      if (c.op === "=") return sql`${traces.traceMetadata} ->> ${sql.raw(sqlStringLiteral(jsonMemberPath(c.key)))} = ${c.value}`;
      return keyedSql(c, jsonMemberText(traces.traceMetadata, c.key));
    case "tag":
      return keyedSql(c, jsonMemberText(traces.tags, c.key));
    case "feedback":
    case "expectation":
      return assessmentSql(c);
    case "text":
      return textSql(c.op, c.value);
  }
}

/** Span clauses hold when ANY span of the trace matches, each clause on its own (as in MLflow). */
function anySpan(cond: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM ${spans} WHERE ${spans.traceId} = ${traces.traceId} AND ${cond})`;
}

function stringMatchSql(x: Expr, m: StringMatch): SQL {
  switch (m.op) {
    case "=":
      return sql`${x} = ${m.value}`;
    case "!=":
      return sql`${x} != ${m.value}`;
    case "LIKE":
      return sql`${x} LIKE ${m.value}`;
    case "ILIKE":
      return sql`lower(${x}) LIKE lower(${m.value})`;
    case "RLIKE":
      return sql`${x} REGEXP ${m.value}`;
    case "IN":
      return sql`${x} IN (${sql.join(
        m.value.map((v) => sql`${v}`),
        sql`, `,
      )})`;
    case "NOT IN":
      return sql`${x} NOT IN (${sql.join(
        m.value.map((v) => sql`${v}`),
        sql`, `,
      )})`;
  }
}

/** A JSON path naming one member; quoting makes keys with dots, brackets or quotes safe. */
export function jsonMemberPath(key: string): string {
  return `$."${key.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** A SQL string literal; only for text built by Vigil (JSON paths), never for raw user values. */
function sqlStringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The member's string form, as jsonValueText: text as is, other JSON compact, null or absent NULL. */
function jsonMemberText(doc: Expr, key: string): SQL {
  const p = jsonMemberPath(key);
  return sql`(CASE json_type(${doc}, ${p}) WHEN 'text' THEN ${doc} ->> ${p} WHEN 'null' THEN NULL ELSE ${doc} -> ${p} END)`;
}

/** Same for a whole JSON document (assessment values); text that is not JSON counts as no value. */
function jsonDocText(doc: Expr): SQL {
  return sql`(CASE WHEN json_valid(${doc}) THEN (CASE json_type(${doc}) WHEN 'text' THEN ${doc} ->> '$' WHEN 'null' THEN NULL ELSE ${doc} -> '$' END) END)`;
}

function keyedSql(c: KeyedClause, value: SQL): SQL {
  if (c.op === "IS NULL") return sql`${value} IS NULL`;
  if (c.op === "IS NOT NULL") return sql`${value} IS NOT NULL`;
  return stringMatchSql(value, c as StringMatch);
}

/** Only valid (not overridden) assessments count, as in MLflow's store. */
function assessmentSql(c: KeyedClause): SQL {
  const base = sql`SELECT 1 FROM ${assessments} WHERE ${assessments.traceId} = ${traces.traceId}
    AND ${assessments.kind} = ${c.kind} AND ${assessments.name} = ${c.key} AND ${assessments.valid} = 1`;
  if (c.op === "IS NULL") return sql`NOT EXISTS (${base})`;
  if (c.op === "IS NOT NULL") return sql`EXISTS (${base})`;
  return sql`EXISTS (${base} AND ${stringMatchSql(jsonDocText(assessments.value), c as StringMatch)})`;
}

/** trace.text: request/response (JSON text, a JSON null counts as absent), previews, and spans. */
function textSql(op: "LIKE" | "ILIKE", pattern: string): SQL {
  const m: StringMatch = { op, value: pattern };
  const traceTexts: Expr[] = [traces.requestPreview, traces.responsePreview, sql`NULLIF(${traces.request}, 'null')`, sql`NULLIF(${traces.response}, 'null')`];
  const spanTexts: Expr[] = [spans.name, spans.spanType, spans.attributes];
  const any = (xs: Expr[]) =>
    sql.join(
      xs.map((x) => stringMatchSql(x, m)),
      sql` OR `,
    );
  return sql`${any(traceTexts)} OR ${anySpan(sql`(${any(spanTexts)})`)}`;
}
