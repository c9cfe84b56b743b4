// The filter grammar on both dialects: the filter SQL test table (lib/mlflow/filter/sql.test.ts)
// runs against a real SQLite file and a real Postgres holding the same rows, and each filter must
// select the same trace ids on both. On Postgres an RLIKE outside the translatable subset is a
// residual evaluated in JS (matchesTrace) on the rows SQL selected.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { openPgDb, type PgDb } from "@/db/pg/client";
import { pgTables } from "@/db/pg/schema";
import { traces } from "@/db/schema";
import { matchesTrace } from "@/lib/mlflow/filter/evaluate";
import { regexSearch } from "@/lib/mlflow/filter/match";
import { parseFilter } from "@/lib/mlflow/filter/parse";
import { re2ToPostgres } from "@/lib/mlflow/filter/regex-pg";
import { compileFilter, compileFilterToSql } from "@/lib/mlflow/filter/sql";
import { FILTER_CASES, IDS, TRACES, traceRows, insertTraces } from "@/lib/mlflow/filter/test-fixtures";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres";
import { pgTestSettings } from "./pg.helpers";

let dir: string;
let sqlite: Db;
let tdb: TestDatabase;
let pgdb: PgDb;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-pg-filter-"));
  sqlite = openDb(path.join(dir, "filter.db"));
  insertTraces(sqlite, TRACES);
  tdb = await createTestDatabase("filter");
  pgdb = await openPgDb(pgTestSettings(tdb.url));
  const rows = traceRows(TRACES);
  await pgdb.insert(pgTables.traces).values(rows.traces);
  await pgdb.insert(pgTables.spans).values(rows.spans);
  await pgdb.insert(pgTables.assessments).values(rows.assessments);
});

afterAll(async () => {
  await pgdb?.$client.end();
  await tdb?.drop();
  sqlite?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sqliteIds = (filter: string) =>
  sqlite
    .select({ id: traces.traceId })
    .from(traces)
    .where(compileFilterToSql(parseFilter(filter)))
    .orderBy(asc(traces.traceId))
    .all()
    .map((r) => r.id);

async function pgIds(filter: string): Promise<string[]> {
  const { where, residual } = compileFilter(parseFilter(filter), "pg");
  const rows = await pgdb.select({ id: pgTables.traces.traceId }).from(pgTables.traces).where(where).orderBy(asc(pgTables.traces.traceId));
  // The caller's part: the residual clauses on the selected traces, loaded in full.
  return rows
    .map((r) => r.id)
    .filter(
      (id) =>
        residual.clauses.length === 0 ||
        matchesTrace(
          residual,
          TRACES.find((t) => t.info.trace_id === id)!,
        ),
    );
}

describe("the filter SQL test table on SQLite and Postgres", () => {
  it.each(FILTER_CASES)("%s selects the same traces on both", async (filter, expected) => {
    const want = [...expected].sort();
    expect(sqliteIds(filter)).toEqual(want);
    expect(await pgIds(filter)).toEqual(want);
  });

  it("evaluates span clauses independently on Postgres too", async () => {
    expect(await pgIds("span.name = 'search_web' AND span.type = 'LLM'")).toEqual([IDS.B]);
  });

  it("binds every user value as a parameter on Postgres", async () => {
    const hostile = "tag.`x'); DROP TABLE traces; --` = 'a\\' OR \\'1\\'=\\'1' AND trace.text LIKE '%--%'";
    const q = pgdb
      .select({ id: pgTables.traces.traceId })
      .from(pgTables.traces)
      .where(compileFilter(parseFilter(hostile), "pg").where)
      .toSQL();
    expect(q.sql).not.toContain("DROP");
    expect(q.sql).not.toContain("OR '1'");
    expect(q.params).toContain("x'); DROP TABLE traces; --");
    expect(await pgIds(hostile)).toEqual([]);
  });

  it("leaves only RLIKE patterns outside the subset to JS, and they still select the same traces", async () => {
    const outside = "span.name RLIKE '(?i)^CHAT' AND trace.status = 'OK'";
    const { residual } = compileFilter(parseFilter(outside), "pg");
    expect(residual.clauses).toEqual([{ kind: "span", field: "name", op: "RLIKE", value: "(?i)^CHAT" }]);
    expect(await pgIds(outside)).toEqual(sqliteIds(outside));
    expect(await pgIds(outside)).toEqual([IDS.A]);
    expect(compileFilter(parseFilter("span.name RLIKE '^llm\\.'"), "pg").residual.clauses).toEqual([]);
  });

  it("compares fractional numbers without a bigint cast error", async () => {
    expect(await pgIds("trace.execution_time_ms > 1839.5 AND trace.execution_time_ms < 1840.5")).toEqual(
      sqliteIds("trace.execution_time_ms > 1839.5 AND trace.execution_time_ms < 1840.5"),
    );
  });
});

// Every translation must match exactly where RE2 matches, on values chosen where ARE and RE2 part
// ways: newlines, vertical tab, non-ASCII digits, letters and spaces, case, braces.
const VALUES = [
  "",
  "abc",
  "ABC",
  "a\nc",
  "a\vc",
  "a\tc",
  "x٣y",
  "x3y",
  "naïve",
  "é",
  "ééé",
  "a b",
  "a\u00a0b",
  "llm.call",
  "llmXcall",
  "v12",
  "{x}",
  "q-1",
  "_",
  "a-z",
  "prod",
  "staging",
];
const PATTERNS = [
  "a.c",
  "^a.c$",
  "\\d",
  "x\\dy",
  "\\s",
  "a\\sb",
  "\\w+",
  "^\\w+$",
  "\\W",
  "[^a]",
  "[a-z]+",
  "^[A-Z]+$",
  "[-a]",
  "é{2,}",
  "^(prod|stag)",
  "(?:ab)+?c",
  "\\{x\\}",
  "q-\\d",
  "^$",
  "",
  "llm\\.",
  "v[0-9]{2}$",
];

describe("re2ToPostgres on a real Postgres", () => {
  it("matches exactly as RE2 does, for every accepted pattern and value", async () => {
    const mismatches: string[] = [];
    for (const p of PATTERNS) {
      const are = re2ToPostgres(p);
      expect(are, p).not.toBeNull();
      const { rows } = await pgdb.$client.query<{ v: string; m: boolean }>("SELECT v, v ~ $1 AS m FROM unnest($2::text[]) AS v", [are, VALUES]);
      for (const r of rows) if (r.m !== regexSearch(p, r.v)) mismatches.push(`${JSON.stringify(p)} on ${JSON.stringify(r.v)}: pg ${r.m}`);
    }
    expect(mismatches).toEqual([]);
  });
});
