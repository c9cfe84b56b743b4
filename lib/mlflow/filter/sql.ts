// Compiles a parsed filter to a WHERE fragment over `traces`, for SQLite or Postgres. Every user
// value is a bound parameter; only operators from the typed AST are written into the SQL text.
// Postgres has no RE2: an RLIKE clause becomes SQL (~) only when its pattern is in the subset whose
// translation means the same (regex-pg.ts); any other RLIKE clause is left to the caller as a
// residual filter, evaluated in JS (matchesTrace) on the rows SQL selected. Clauses are AND-ed, so
// SQL-then-JS selects exactly the traces the whole filter selects.
import type Database from "better-sqlite3";
import { sql, type Column, type SQL } from "drizzle-orm";
import { assessments } from "@/db/schema/assessments";
import { runTraceLinks } from "@/db/schema/runs";
import { onEveryConnection } from "@/db/client";
import { spans, traces } from "@/db/schema/traces";
import type { Clause, FilterAst, KeyedClause, NumericField, StringMatch, TraceStringField } from "./ast";
import { regexSearch } from "./match";
import { re2ToPostgres } from "./regex-pg";

type Expr = SQL | Column;
export type SqlDialect = "sqlite" | "pg";

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

/** A WHERE condition for a query whose FROM is the (unaliased) `traces` table (SQLite). */
export function compileFilterToSql(ast: FilterAst): SQL {
  return compileFilter(ast, "sqlite").where;
}

/**
 * The WHERE condition for `dialect`, and the clauses SQL could not decide (only RLIKE on
 * Postgres, with a pattern outside the translatable subset): the caller keeps a selected row only
 * if matchesTrace(residual, trace) holds. On SQLite the residual is always empty.
 */
export function compileFilter(ast: FilterAst, dialect: SqlDialect): { where: SQL; residual: FilterAst } {
  const inSql: Clause[] = [];
  const residual: Clause[] = [];
  for (const c of ast.clauses) (dialect === "pg" && c.op === "RLIKE" && re2ToPostgres(c.value as string) === null ? residual : inSql).push(c);
  if (inSql.length === 0) return { where: sql`1 = 1`, residual: { clauses: residual } };
  const where = sql.join(
    inSql.map((c) => sql`(${clauseSql(c, dialect)})`),
    sql` AND `,
  );
  return { where, residual: { clauses: residual } };
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

function clauseSql(c: Clause, d: SqlDialect): SQL {
  switch (c.kind) {
    case "status":
      return stringMatchSql(traces.state, c as StringMatch, d);
    case "numeric":
      // The operator comes from the closed NumericOp union, never from user text. Postgres will not
      // read 1.5 as a bigint: a fraction is compared as double precision.
      return sql`${NUMERIC_COLUMNS[c.field]} ${sql.raw(c.op)} ${d === "pg" && !Number.isInteger(c.value) ? sql`${c.value}::double precision` : c.value}`;
    case "trace_string":
      return stringMatchSql(TRACE_STRING_COLUMNS[c.field], c, d);
    case "span":
      return anySpan(stringMatchSql(c.field === "name" ? spans.name : spans.spanType, c, d));
    case "span_attribute":
      return anySpan(stringMatchSql(jsonMemberText(spans.attributes, c.key, d), c, d));
    case "metadata": {
      // Metadata is map<string, string>, so ->> gives the same text; with the path as a literal
      // the expression can use the indexes on well-known keys (user, session, source run).
      const member =
        d === "pg"
          ? sql`(${traces.traceMetadata}::jsonb ->> ${sql.raw(sqlStringLiteral(c.key))})`
          : sql`${traces.traceMetadata} ->> ${sql.raw(sqlStringLiteral(jsonMemberPath(c.key)))}`;
      if (c.op === "=" && c.key === "mlflow.sourceRun") {
        // A run's traces are those it made and those linked to it (LinkTracesToRun), as in MLflow.
        return sql`${member} = ${c.value}
          OR EXISTS (SELECT 1 FROM ${runTraceLinks} WHERE ${runTraceLinks.traceId} = ${traces.traceId} AND ${runTraceLinks.runId} = ${c.value})`;
      }
      if (c.op === "=") return sql`${member} = ${c.value}`;
      return keyedSql(c, jsonMemberText(traces.traceMetadata, c.key, d), d);
    }
    case "tag":
      return keyedSql(c, jsonMemberText(traces.tags, c.key, d), d);
    case "feedback":
    case "expectation":
      return assessmentSql(c, d);
    case "text":
      return textSql(c.op, c.value, d);
  }
}

/** Span clauses hold when ANY span of the trace matches, each clause on its own (as in MLflow). */
function anySpan(cond: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM ${spans} WHERE ${spans.traceId} = ${traces.traceId} AND ${cond})`;
}

const list = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

function stringMatchSql(x: Expr, m: StringMatch, d: SqlDialect): SQL {
  switch (m.op) {
    case "=":
      return sql`${x} = ${m.value}`;
    case "!=":
      return sql`${x} != ${m.value}`;
    case "LIKE":
      // Postgres' LIKE escapes with \ unless told otherwise; SQLite's (and MLflow's) has no escape.
      return d === "pg" ? sql`${x} LIKE ${m.value} ESCAPE ''` : sql`${x} LIKE ${m.value}`;
    case "ILIKE":
      // SQLite's lower() folds ASCII only (asciiLower); so does Postgres' under the C collation,
      // whatever the database's locale.
      return d === "pg" ? sql`lower(${x} COLLATE "C") LIKE lower(${m.value} COLLATE "C") ESCAPE ''` : sql`lower(${x}) LIKE lower(${m.value})`;
    case "RLIKE": {
      if (d === "sqlite") return sql`${x} REGEXP ${m.value}`;
      const are = re2ToPostgres(m.value);
      if (are === null) throw new Error("RLIKE pattern outside the Postgres subset reached SQL; compileFilter leaves it residual");
      return sql`${x} ~ ${are}`;
    }
    case "IN":
      return sql`${x} IN (${list(m.value)})`;
    case "NOT IN":
      return sql`${x} NOT IN (${list(m.value)})`;
  }
}

/** A JSON path naming one member; quoting makes keys with dots, brackets or quotes safe. */
export function jsonMemberPath(key: string): string {
  return `$."${key.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** A SQL string literal; only for text built by Vigil (JSON paths, member names), never for raw user values. */
function sqlStringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The member's string form, as jsonValueText: text as is, other JSON compact, null or absent NULL.
 * Postgres reads the text as json (not jsonb), so a member comes back as stored: Vigil's compact
 * JSON.stringify text, as SQLite's -> writes it.
 */
function jsonMemberText(doc: Expr, key: string, d: SqlDialect): SQL {
  if (d === "pg") {
    return sql`(CASE json_typeof(${doc}::json -> ${key}::text) WHEN 'string' THEN ${doc}::json ->> ${key}::text WHEN 'null' THEN NULL ELSE (${doc}::json -> ${key}::text)::text END)`;
  }
  const p = jsonMemberPath(key);
  return sql`(CASE json_type(${doc}, ${p}) WHEN 'text' THEN ${doc} ->> ${p} WHEN 'null' THEN NULL ELSE ${doc} -> ${p} END)`;
}

/** Same for a whole JSON document (assessment values); text that is not JSON counts as no value. */
function jsonDocText(doc: Expr, d: SqlDialect): SQL {
  if (d === "pg") {
    // vigil_try_json (pg migration): NULL for text that is not JSON, as json_valid() in SQLite.
    return sql`(SELECT CASE json_typeof(j) WHEN 'string' THEN j #>> '{}' WHEN 'null' THEN NULL ELSE j::text END FROM (SELECT vigil_try_json(${doc}) AS j) v)`;
  }
  return sql`(CASE WHEN json_valid(${doc}) THEN (CASE json_type(${doc}) WHEN 'text' THEN ${doc} ->> '$' WHEN 'null' THEN NULL ELSE ${doc} -> '$' END) END)`;
}

function keyedSql(c: KeyedClause, value: SQL, d: SqlDialect): SQL {
  if (c.op === "IS NULL") return sql`${value} IS NULL`;
  if (c.op === "IS NOT NULL") return sql`${value} IS NOT NULL`;
  return stringMatchSql(value, c as StringMatch, d);
}

/** Only valid (not overridden) assessments count, as in MLflow's store. */
function assessmentSql(c: KeyedClause, d: SqlDialect): SQL {
  const valid = d === "pg" ? sql`${assessments.valid}` : sql`${assessments.valid} = 1`;
  const base = sql`SELECT 1 FROM ${assessments} WHERE ${assessments.traceId} = ${traces.traceId}
    AND ${assessments.kind} = ${c.kind} AND ${assessments.name} = ${c.key} AND ${valid}`;
  if (c.op === "IS NULL") return sql`NOT EXISTS (${base})`;
  if (c.op === "IS NOT NULL") return sql`EXISTS (${base})`;
  return sql`EXISTS (${base} AND ${stringMatchSql(jsonDocText(assessments.value, d), c as StringMatch, d)})`;
}

/** trace.text: request/response (JSON text, a JSON null counts as absent), previews, and spans. */
function textSql(op: "LIKE" | "ILIKE", pattern: string, d: SqlDialect): SQL {
  const m: StringMatch = { op, value: pattern };
  const traceTexts: Expr[] = [traces.requestPreview, traces.responsePreview, sql`NULLIF(${traces.request}, 'null')`, sql`NULLIF(${traces.response}, 'null')`];
  const spanTexts: Expr[] = [spans.name, spans.spanType, spans.attributes];
  const any = (xs: Expr[]) =>
    sql.join(
      xs.map((x) => stringMatchSql(x, m, d)),
      sql` OR `,
    );
  return sql`${any(traceTexts)} OR ${anySpan(sql`(${any(spanTexts)})`)}`;
}
