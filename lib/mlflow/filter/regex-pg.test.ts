import { describe, expect, it } from "vitest";
import { re2ToPostgres } from "./regex-pg";

// What each RE2 pattern becomes in Postgres' ARE, or null: left to JS (compileFilter's residual).
// tests/integration/pg-filter.test.ts checks on a real Postgres that the translations match as RE2 does.
const CASES: [string, string | null][] = [
  ["", ""],
  ["abc", "abc"],
  ["^llm\\.", "^llm\\."],
  ["v[0-9]+$", "v[0-9]+$"],
  ["a.c", "a[^\\n]c"],
  ["\\d{3}-\\d{4}", "[0-9]{3}-[0-9]{4}"],
  ['"q":\\s*"news"', '"q":[\\t\\n\\f\\r ]*"news"'],
  ["\\w+@\\W", "[0-9A-Za-z_]+@[^0-9A-Za-z_]"],
  ["^(prod|stag)", "^(prod|stag)"],
  ["(?:ab)+?c", "(?:ab)+?c"],
  ["[^a-z_\\d]", "[^a-z_0-9]"],
  ["[-a.]", "[\\-a\\.]"],
  ["x{2,}y{0,255}", "x{2,}y{0,255}"],
  ["é+", "é+"],
  ["\\t\\n", "\\t\\n"],
  // Outside the subset.
  ["x{256}", null],
  ["x{3,2}", null],
  ["a{", null],
  ["{x}", null],
  ["*a", null],
  ["a**", null],
  ["(?i)abc", null],
  ["(?P<n>a)", null],
  ["\\bword\\b", null],
  ["\\pL", null],
  ["\\x41", null],
  ["[[:alpha:]]", null],
  ["[a-Z]", null],
  ["[A-z]", null],
  ["[z-a]", null],
  ["[a-]b-c]", null],
  ["[]", null],
  ["[\\S]", null],
  ["(a|)", null],
  ["a|", null],
  ["()", null],
  ["(a", null],
  ["a)", null],
  ["a]", null],
  ["^*", null],
  ["\\1", null],
  ["a\\", null],
];

describe("re2ToPostgres", () => {
  it.each(CASES)("%j -> %j", (re, are) => {
    expect(re2ToPostgres(re)).toBe(are);
  });
});
