import { describe, expect, it } from "vitest";
import { InvalidParameterError } from "@/lib/core/errors";
import { parseFilter } from "./parse";

function errorOf(filter: string): InvalidParameterError {
  try {
    parseFilter(filter);
  } catch (e) {
    if (e instanceof InvalidParameterError) return e;
    throw e;
  }
  throw new Error(`expected '${filter}' to be rejected`);
}

// [filter, 0-based position of the offending token, fragment the message must contain]
const CASES: [string, number, string][] = [
  // names
  ["trace.foo = 'x'", 6, "unknown field 'trace.foo'"],
  ["foo = 'x'", 0, "unknown field 'foo'"],
  ["trace.status.extra = 'OK'", 6, "unknown field 'trace.status.extra'"],
  ["foo.bar = 'x'", 0, "unknown prefix 'foo'"],
  ["run.status = 'OK'", 0, "unknown prefix 'run'"],
  ["span.duration = '1'", 5, "unknown span field 'duration'"],
  ["trace. = 'x'", 6, "empty field name after 'trace.'"],
  ["span. = 'x'", 5, "empty field name after 'span.'"],
  ["tag. = 'x'", 4, "empty key after 'tag.'"],
  ["metadata.`` = 'x'", 9, "empty key after 'metadata.'"],
  ["span.attributes LIKE '%x%'", 15, "empty key after 'span.attributes.'"],
  ["feedback. IS NULL", 9, "empty key after 'feedback.'"],
  ["tag.a..b = 'x'", 6, "empty name between dots"],
  ["tag.`abc = 'x'", 4, "unterminated backtick"],
  ["tag.my-key = 'x'", 6, "quote names with special characters in backticks"],
  ["5 = 5", 0, "expected a field name"],
  ["(tag.a = 'x')", 0, "expected a field name"],
  // operators
  ["trace.status 'OK'", 13, "expected an operator after trace.status (allowed: =, !=, IN, NOT IN)"],
  ["tag.env", 7, "expected an operator after tag.env"],
  ["tag.a ! 'x'", 6, "expected '!='"],
  ["tag.a NOT 'x'", 10, "expected IN after NOT"],
  ["tag.a IS 'x'", 9, "expected NULL after IS"],
  ["tag.a IS NOT", 12, "expected NULL after IS NOT"],
  ["trace.timestamp_ms LIKE 5", 19, "operator LIKE is not allowed for trace.timestamp_ms (allowed: =, !=, <, >, <=, >=)"],
  ["trace.status LIKE 'OK'", 13, "operator LIKE is not allowed for trace.status"],
  ["trace.name > 'a'", 11, "operator > is not allowed for trace.name"],
  ["trace.text = 'x'", 11, "operator = is not allowed for trace.text (allowed: LIKE, ILIKE)"],
  ["trace.text RLIKE 'x'", 11, "operator RLIKE is not allowed for trace.text"],
  ["span.name IS NULL", 10, "operator IS NULL is not allowed for span.name"],
  ["trace.execution_time_ms IN (1, 2)", 24, "operator IN is not allowed for trace.execution_time_ms"],
  // values
  ["trace.status =", 14, "expected a quoted string after ="],
  ["tag.a = AND tag.b = 'x'", 8, "expected a quoted string after ="],
  ["tag.a == 'x'", 7, "expected a quoted string after ="],
  ["trace.status = OK", 15, "string values must be quoted"],
  ["trace.timestamp_ms >", 20, "expected a number after >"],
  ["tag.a = 'abc", 8, "unterminated string: missing closing '"],
  ['tag.a = "abc', 8, 'unterminated string: missing closing "'],
  ["tag.a = 'abc\\'", 8, "unterminated string"],
  ["trace.timestamp_ms > 12abc", 21, "bad number '12abc'"],
  ["trace.timestamp_ms > 1.2.3", 21, "bad number '1.2.3'"],
  ["trace.timestamp_ms > -", 21, "unexpected character '-'"],
  ["trace.status = 'DONE'", 15, "invalid status 'DONE' (expected one of: STATE_UNSPECIFIED, OK, ERROR, IN_PROGRESS)"],
  ["trace.status = 'ok'", 15, "invalid status 'ok'"],
  ["trace.status IN ('OK', 'bad')", 23, "invalid status 'bad'"],
  ["trace.name RLIKE '(unclosed'", 17, "invalid regular expression for RLIKE"],
  ["tag.env RLIKE '[a-'", 14, "invalid regular expression for RLIKE"],
  ["trace.execution_time_ms > 'slow'", 26, "expected a number for trace.execution_time_ms, got the string 'slow'"],
  ["tag.env = 5", 10, "expected a quoted string for tag.env, got the number 5"],
  ["trace.status = 1", 15, "expected a quoted string for trace.status"],
  ["feedback.score = 0.5", 17, "expected a quoted string for feedback.score"],
  // lists
  ["trace.status IN 'OK'", 16, "expected '(' and a list of quoted values after IN"],
  ["trace.status IN ('OK'", 21, "expected ',' or ')' in the value list"],
  ["trace.status IN ()", 17, "expected a quoted string after IN"],
  ["trace.status IN ('OK' 'ERROR')", 22, "expected ',' or ')' in the value list"],
  // structure
  ["trace.status = 'OK' 'extra'", 20, "expected AND or the end of the filter"],
  ["trace.status = 'OK' tag.a = 'b'", 20, "expected AND or the end of the filter"],
  ["trace.status = 'OK' OR tag.a = 'b'", 20, "OR is not supported: combine clauses with AND only"],
  ["tag.a = 'x' or tag.b = 'y'", 12, "OR is not supported"],
  ["trace.status = 'OK' AND", 20, "dangling AND: expected a clause after it"],
  ["AND trace.status = 'OK'", 0, "expected a field name before AND"],
  ["tag.a = 'x' AND AND tag.b = 'y'", 16, "expected a field name before AND"],
  ["tag.a = 'x' ; DROP TABLE traces", 12, "unexpected character ';'"],
];

describe("parseFilter rejects malformed filters", () => {
  it("covers at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)("%s", (filter, position, fragment) => {
    const e = errorOf(filter);
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(new RegExp(`^Invalid filter at position ${position} (near '|at end of input)`));
    expect(e.message).toContain(fragment);
    expect(e.details).toMatchObject({ filter, position });
  });

  it("names the offending token, or the end of input", () => {
    expect(errorOf("trace.timestamp_ms LIKE 5").message).toBe(
      "Invalid filter at position 19 near 'LIKE': operator LIKE is not allowed for trace.timestamp_ms (allowed: =, !=, <, >, <=, >=)",
    );
    expect(errorOf("trace.status =").message).toBe("Invalid filter at position 14 at end of input: expected a quoted string after =");
  });

  it("shortens a long offending token in the message but keeps it whole in details", () => {
    const long = `'${"x".repeat(80)}`;
    const e = errorOf(`tag.a = ${long}`);
    expect(e.message).toContain(`near '${long.slice(0, 40)}...'`);
    expect(e.details).toMatchObject({ near: long });
  });
});
