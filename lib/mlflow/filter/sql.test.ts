import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { traces } from "@/db/schema";
import { matchesTrace } from "./evaluate";
import { parseFilter } from "./parse";
import { compileFilterToSql, installFilterSqlFunctions, jsonMemberPath } from "./sql";
import { FILTER_CASES, IDS, TRACES, insertTraces } from "./test-fixtures";

let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-filter-"));
  db = openDb(path.join(dir, "filter.db"));
  installFilterSqlFunctions(db.$client);
  insertTraces(db, TRACES);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sqlIds(filter: string): string[] {
  return db
    .select({ id: traces.traceId })
    .from(traces)
    .where(compileFilterToSql(parseFilter(filter)))
    .orderBy(asc(traces.traceId))
    .all()
    .map((r) => r.id);
}

const memoryIds = (filter: string) =>
  TRACES.filter((t) => matchesTrace(parseFilter(filter), t))
    .map((t) => t.info.trace_id)
    .sort();

describe("compileFilterToSql on a real SQLite database", () => {
  it.each(FILTER_CASES)("%s selects the same traces as matchesTrace", (filter, expected) => {
    const fromSql = sqlIds(filter);
    expect(fromSql).toEqual([...expected].sort());
    expect(fromSql).toEqual(memoryIds(filter));
  });

  it("evaluates span clauses independently, as the evaluator does", () => {
    const f = "span.name = 'search_web' AND span.type = 'LLM'";
    expect(sqlIds(f)).toEqual([IDS.B]);
    expect(sqlIds(f)).toEqual(memoryIds(f));
  });

  it("binds every user value as a parameter", () => {
    const hostile = "tag.`x'); DROP TABLE traces; --` = 'a\\' OR \\'1\\'=\\'1' AND span.name RLIKE '.*' AND trace.text LIKE '%--%'";
    const q = db
      .select({ id: traces.traceId })
      .from(traces)
      .where(compileFilterToSql(parseFilter(hostile)))
      .toSQL();
    expect(q.sql).not.toContain("DROP");
    expect(q.sql).not.toContain("OR '1'");
    expect(q.params).toContain(jsonMemberPath("x'); DROP TABLE traces; --"));
    expect(q.params).toContain("a' OR '1'='1");
    expect(sqlIds(hostile)).toEqual([]);
    expect(sqlIds("")).toHaveLength(TRACES.length);
  });

  it("quotes JSON member names so dots, quotes and backslashes address one key", () => {
    expect(jsonMemberPath("a.b")).toBe('$."a.b"');
    expect(jsonMemberPath('we"ird\\key')).toBe('$."we\\"ird\\\\key"');
    const row = db.$client.prepare("SELECT ? ->> ? AS v").get(JSON.stringify({ 'we"ird\\key': 1, "a.b": 2 }), jsonMemberPath('we"ird\\key'));
    expect(row).toEqual({ v: 1 });
  });

  it("makes LIKE case-sensitive and REGEXP available on the connection", () => {
    const one = (q: string) => (db.$client.prepare(q).get() as { v: number }).v;
    expect(one("SELECT 'ABC' LIKE 'abc' AS v")).toBe(0);
    expect(one("SELECT 'api_v12' REGEXP 'v[0-9]+' AS v")).toBe(1);
    expect(one("SELECT 'api' REGEXP '^v' AS v")).toBe(0);
  });
});
