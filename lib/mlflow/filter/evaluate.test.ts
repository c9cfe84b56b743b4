import { describe, expect, it } from "vitest";
import { matchesTrace } from "./evaluate";
import { asciiLower, jsonValueText, like, matchString } from "./match";
import { parseFilter } from "./parse";
import { FILTER_CASES, IDS, TRACES } from "./test-fixtures";
import type { TraceData } from "../types";

const select = (filter: string, data: TraceData[] = TRACES) => data.filter((t) => matchesTrace(parseFilter(filter), t)).map((t) => t.info.trace_id);

describe("matchesTrace over realistic traces", () => {
  it.each(FILTER_CASES)("%s", (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it("evaluates each span clause on its own: different spans may satisfy different clauses", () => {
    // In trace B, search_web is a TOOL span and ChatAnthropic the LLM span.
    expect(select("span.name = 'search_web' AND span.type = 'LLM'")).toEqual([IDS.B]);
  });

  it("never matches a missing value, not even with !=", () => {
    expect(select("trace.client_request_id != 'nothing'")).not.toContain(IDS.C);
    expect(select("trace.execution_time_ms != 0")).not.toContain(IDS.C);
    expect(select("tag.env != 'nothing'")).toEqual([IDS.A, IDS.B, IDS.D]);
  });

  it("ignores invalid (overridden) assessments", () => {
    const b = TRACES.find((t) => t.info.trace_id === IDS.B)!;
    const override: TraceData = {
      ...b,
      info: {
        ...b.info,
        assessments: b.info.assessments.map((a) => (a.assessment_name === "correctness" ? { ...a, valid: !(a.valid ?? true) } : a)),
      },
    };
    expect(matchesTrace(parseFilter("feedback.correctness = 'yes'"), override)).toBe(true);
    expect(matchesTrace(parseFilter("feedback.correctness = 'false'"), override)).toBe(false);
  });

  it("matches a trace without spans only through trace-level clauses", () => {
    const bare: TraceData = { ...TRACES[0]!, spans: [] };
    expect(matchesTrace(parseFilter("span.name != 'x'"), bare)).toBe(false);
    expect(matchesTrace(parseFilter("trace.status = 'OK' AND tag.env = 'production'"), bare)).toBe(true);
  });

  it("does not read inherited properties as tags or attributes", () => {
    expect(select("tag.hasOwnProperty IS NOT NULL")).toEqual([]);
    expect(select("span.attributes.__proto__ LIKE '%'")).toEqual([]);
  });
});

describe("LIKE, ILIKE and RLIKE primitives", () => {
  it.each<[string, string, boolean]>([
    ["abc", "abc", true],
    ["abc", "ABC", false],
    ["abc", "a%", true],
    ["abc", "%c", true],
    ["abc", "%b%", true],
    ["abc", "b%", false],
    ["abc", "a_c", true],
    ["abc", "a__c", false],
    ["a.c", "a.c", true],
    ["abc", "a.c", false],
    ["a+b(c)", "a+b(c)", true],
    ["x[1]", "x[1]", true],
    ["50% off", "%\\%%", false],
    ["line1\nline2", "line1%line2", true],
    ["🚀x", "_x", true],
    ["", "%", true],
    ["", "_", false],
  ])("%j LIKE %j is %s", (value, pattern, expected) => {
    expect(like(value, pattern)).toBe(expected);
  });

  it("folds only ASCII letters for ILIKE, as SQLite's lower() does", () => {
    expect(asciiLower("ÉCOLE Abc")).toBe("École abc");
    expect(matchString({ op: "ILIKE", value: "%abc%" }, "xxABCxx")).toBe(true);
    expect(matchString({ op: "ILIKE", value: "é%" }, "École")).toBe(false);
  });

  it("searches RLIKE patterns anywhere in the value", () => {
    expect(matchString({ op: "RLIKE", value: "v[0-9]+" }, "api_v12_call")).toBe(true);
    expect(matchString({ op: "RLIKE", value: "^v" }, "api_v12_call")).toBe(false);
  });

  it.each<[unknown, string | null]>([
    ["yes", "yes"],
    [true, "true"],
    [false, "false"],
    [5, "5"],
    [0.7, "0.7"],
    [["a", 1], '["a",1]'],
    [{ k: "v" }, '{"k":"v"}'],
    [null, null],
    [undefined, null],
  ])("compares the JSON value %j as %j", (v, text) => {
    expect(jsonValueText(v)).toBe(text);
  });
});
