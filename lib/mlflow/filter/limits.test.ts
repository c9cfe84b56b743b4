import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { traces } from "@/db/schema";
import { InvalidParameterError } from "@/lib/core/errors";
import { FILTER_LIMITS } from "./limits";
import { like, matchString } from "./match";
import { parseFilter } from "./parse";
import { compileFilterToSql } from "./sql";
import { TRACES, insertTraces } from "./test-fixtures";

// A pattern that backtracks exponentially in a backtracking engine: each extra character doubles
// the work, so 40 of them never finish there. RE2 answers at once.
const EVIL = "^([\\s\\S]*)*\\u0000$";
const evilValue = "a".repeat(40);

function rejection(filter: string): string {
  try {
    parseFilter(filter);
  } catch (e) {
    if (e instanceof InvalidParameterError && e.status === 400 && e.code === "INVALID_PARAMETER_VALUE") return e.message;
    throw e;
  }
  throw new Error("expected a 400");
}

describe("RLIKE runs on a linear-time engine", () => {
  it.each([
    [EVIL, evilValue, false],
    [EVIL, "ab\u0000", true],
    ["(x+x+)+y", "x".repeat(5000), false],
    ["(a|aa)*b", "a".repeat(5000), false],
    ["v[0-9]+", "api_v12", true],
    ["^v", "api", false],
    ["\\u00e9t\\u00e9", "été", true],
    ["(?<year>\\d{4})-\\d{2}", "on 2024-05", true],
    ["^.$", "😀", true],
  ])("%s on %s", (pattern, value, want) => {
    expect(matchString({ op: "RLIKE", value: pattern }, value)).toBe(want);
  });

  it.each([
    ["trace.name RLIKE '(a)\\\\1'", "invalid regular expression for RLIKE"],
    ["trace.name RLIKE '(?<=a)b'", "invalid regular expression for RLIKE"],
    ["trace.name RLIKE 'a{2000}'", "invalid regular expression for RLIKE"],
    [`trace.name RLIKE '${"a".repeat(FILTER_LIMITS.maxPatternChars + 1)}'`, "longer than"],
  ])("refuses what RE2 cannot run: %s", (filter, fragment) => {
    expect(rejection(filter)).toContain(fragment);
  });

  it("keeps LIKE linear too (many % runs)", () => {
    expect(like("a".repeat(3000), `${"%a".repeat(30)}%b`)).toBe(false);
    expect(like("xaYb", "%a_b")).toBe(true);
    expect(like("a.b", "a_b")).toBe(true);
    expect(like("a+b", "a+b")).toBe(true);
  });
});

describe("filter size is bounded", () => {
  it("refuses an IN list with 40,000 values", () => {
    const values = Array.from({ length: 40_000 }, (_, i) => `'t${i}'`).join(",");
    expect(rejection(`trace.request_id IN (${values})`)).toMatch(/longer than|at most \d+ values/);
    const justOver = Array.from({ length: FILTER_LIMITS.maxListValues + 1 }, (_, i) => `'${i}'`).join(",");
    expect(rejection(`tag.k IN (${justOver})`)).toContain(`at most ${FILTER_LIMITS.maxListValues} values`);
  });
  it("refuses 2,000 clauses", () => {
    const f = Array.from({ length: 2_000 }, (_, i) => `tag.k${i} = 'v'`).join(" AND ");
    expect(rejection(f)).toMatch(/longer than|at most 100 clauses/);
    const f2 = Array.from({ length: 101 }, () => `tag.k = 'v'`).join(" AND ");
    expect(rejection(f2)).toContain("at most 100 clauses");
  });
  it("refuses control characters in a key", () => {
    expect(rejection("metadata.`a\u0000b` = 'x'")).toContain("control characters");
    expect(rejection("tag.`\u0001` IS NULL")).toContain("control characters");
  });
});

describe("limits on a real SQLite database", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-limits-"));
    db = openDb(path.join(dir, "limits.db"));
    insertTraces(db, TRACES);
  });
  afterAll(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const count = (filter: string) =>
    db
      .select({ id: traces.traceId })
      .from(traces)
      .where(compileFilterToSql(parseFilter(filter)))
      .all().length;

  it("runs the catastrophic pattern through SQLite's REGEXP without hanging", () => {
    expect(count(`trace.request_id RLIKE '${EVIL}'`)).toBe(0);
    expect(count(`trace.name RLIKE '${EVIL.replace("\\u0000", "x")}'`)).toBe(0);
  });
  it("answers the largest allowed filter (limits stay inside SQLite's)", () => {
    const values = Array.from({ length: FILTER_LIMITS.maxListValues }, (_, i) => `'t${i}'`).join(",");
    const clauses = Array.from({ length: FILTER_LIMITS.maxClauses - 1 }, (_, i) => `tag.k${i} IS NULL`);
    expect(count([`trace.request_id NOT IN (${values})`, ...clauses].join(" AND "))).toBe(TRACES.length);
  });
});
