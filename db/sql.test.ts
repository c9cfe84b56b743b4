import { describe, expect, it } from "vitest";
import { positionalValues, toPositional } from "./sql";

describe("toPositional", () => {
  const cases: [string, string, string[]][] = [
    ["SELECT :a, @b", "SELECT $1, $2", ["a", "b"]],
    ["SELECT :a + :a, @a", "SELECT $1 + $1, $1", ["a"]],
    ["SELECT ':a', '@b', 'it''s :c' , :d", "SELECT ':a', '@b', 'it''s :c' , $1", ["d"]],
    ['SELECT "col:a", "we""ird@b" FROM t WHERE x = @x', 'SELECT "col:a", "we""ird@b" FROM t WHERE x = $1', ["x"]],
    ["SELECT x::text, :y::bigint", "SELECT x::text, $1::bigint", ["y"]],
    ["SELECT 1 -- :not here\n, :yes", "SELECT 1 -- :not here\n, $1", ["yes"]],
    ["SELECT /* @no */ :yes_2", "SELECT /* @no */ $1", ["yes_2"]],
    ["SELECT $$ :body $$, :p", "SELECT $$ :body $$, $1", ["p"]],
    ["SELECT json_extract(m, '$.\"k\"'), a:b", "SELECT json_extract(m, '$.\"k\"'), a$1", ["b"]],
    ["SELECT : a, @ b, @1", "SELECT : a, @ b, @1", []],
    ["SELECT 'open :a", "SELECT 'open :a", []],
  ];
  it.each(cases)("%s", (sql, text, names) => {
    expect(toPositional(sql)).toEqual({ text, names, positional: 0 });
  });

  it("numbers ? placeholders in order, outside literals, and refuses a mix with names", () => {
    expect(toPositional("INSERT INTO t VALUES (?, '?', ?)")).toEqual({ text: "INSERT INTO t VALUES ($1, '?', $2)", names: [], positional: 2 });
    expect(positionalValues(toPositional("SELECT ?, ?"), [true, "x"])).toEqual([1, "x"]);
    expect(() => positionalValues(toPositional("SELECT ?, ?"), ["x"])).toThrow(/2 values in order/);
    expect(() => toPositional("SELECT ?, :a")).toThrow(/not both/);
  });

  it("binds values by name and refuses a missing one (undefined binds NULL, as better-sqlite3 does)", () => {
    const t = toPositional("SELECT :a, :b, :a, :c");
    expect(positionalValues(t, { a: 1, b: "x", c: undefined })).toEqual([1, "x", null]);
    expect(() => positionalValues(t, { a: 1 })).toThrow(/Missing named parameter "b"/);
    expect(() => positionalValues(t, undefined)).toThrow(/Missing named parameter "a"/);
  });
});
