import { describe, expect, it } from "vitest";
import { InvalidParameterError, InvalidStateError, NotFoundError } from "@/lib/core";
import {
  checkTransition,
  classifySamplingChange,
  deriveStatus,
  isSampling,
  normalizeFilter,
  parseSampleRate,
  requireStartRate,
  roleForSamplingChange,
  ROLE_FOR_ACTION,
  type LifecycleAction,
  type SamplingChange,
  type ScorerStatus,
} from "./lifecycle";

describe("deriveStatus", () => {
  it.each<[string, boolean, number, string | null, ScorerStatus, boolean]>([
    ["never registered", false, 0, null, "UNREGISTERED", false],
    ["never registered, even with a rate", false, 0.5, null, "UNREGISTERED", true],
    ["registered, never started", true, 0, null, "STOPPED", false],
    ["running at 10%", true, 0.1, null, "STARTED", true],
    ["running at 100%", true, 1, null, "STARTED", true],
    ["paused keeps its rate", true, 0.2, "judge quota exceeded", "PAUSED", false],
    ["an empty reason is still a pause", true, 1, "", "PAUSED", false],
  ])("%s -> %s", (_, registered, sampleRate, pausedReason, status, sampling) => {
    expect(deriveStatus({ registered, sampleRate, pausedReason })).toBe(status);
    expect(isSampling({ sampleRate, pausedReason })).toBe(sampling);
  });
});

describe("parseSampleRate", () => {
  it.each<[unknown, number]>([
    [0, 0],
    [1, 1],
    [0.15, 0.15],
    ["0.5", 0.5],
    [" 1 ", 1],
  ])("accepts %j", (v, expected) => expect(parseSampleRate(v)).toBe(expected));

  it.each<[unknown, string]>([
    [-0.1, "-0.1"],
    [1.5, "1.5"],
    ["abc", '"abc"'],
    ["", '""'],
    [Number.NaN, "null"],
    [Number.POSITIVE_INFINITY, "null"],
    [true, "true"],
    [{}, "{}"],
  ])("refuses %j, naming the value", (v, shown) => {
    expect(() => parseSampleRate(v)).toThrow(InvalidParameterError);
    expect(() => parseSampleRate(v)).toThrow(`Invalid value ${shown} for parameter 'sample_rate'`);
  });

  it("says when the rate is missing", () => {
    expect(() => parseSampleRate(undefined)).toThrow("Missing value for required parameter 'sample_rate'.");
  });

  it("start needs a rate above 0", () => {
    expect(requireStartRate(0.01)).toBe(0.01);
    expect(() => requireStartRate(0)).toThrow(/must be greater than 0 \(got 0\)/);
  });
});

describe("normalizeFilter", () => {
  it.each<[unknown, string | null]>([
    [undefined, null],
    [null, null],
    ["", null],
    ["   ", null],
    ["trace.status = 'OK'", "trace.status = 'OK'"],
    ["tag.env = 'prod' AND trace.execution_time_ms > 100", "tag.env = 'prod' AND trace.execution_time_ms > 100"],
  ])("%j -> %j", (v, expected) => expect(normalizeFilter(v)).toBe(expected));

  it.each<[unknown, RegExp]>([
    ["trace.status = 'OK' OR trace.status = 'ERROR'", /Invalid filter at position \d+ .*OR is not supported/],
    ["nonsense", /Invalid filter/],
    [42, /parameter 'filter_string': it must be a string/],
  ])("refuses %j with the parser's message", (v, message) => {
    expect(() => normalizeFilter(v)).toThrow(InvalidParameterError);
    expect(() => normalizeFilter(v)).toThrow(message);
  });
});

describe("classifySamplingChange and the role it needs", () => {
  const c = (sampleRate: number, filterString: string | null = null) => ({ sampleRate, filterString });
  it.each<[string, ReturnType<typeof c>, ReturnType<typeof c>, SamplingChange, "operator" | "admin"]>([
    ["same config", c(0.1), c(0.1), "noop", "operator"],
    ["same stopped config", c(0), c(0), "noop", "operator"],
    ["stopped -> running", c(0), c(0.1), "start", "operator"],
    ["stopped -> running with a filter", c(0), c(1, "trace.status = 'OK'"), "start", "operator"],
    ["running -> 0", c(0.5), c(0), "stop", "operator"],
    ["running -> other rate", c(0.1), c(0.2), "update", "admin"],
    ["running -> other filter", c(0.1), c(0.1, "tag.env = 'prod'"), "update", "admin"],
    ["filter edit while stopped", c(0), c(0, "tag.env = 'prod'"), "update", "admin"],
  ])("%s: %s", (_, before, after, change, role) => {
    expect(classifySamplingChange(before, after)).toBe(change);
    expect(roleForSamplingChange(change)).toBe(role);
  });
});

describe("checkTransition", () => {
  // The status each allowed change leads to is checked against the real verbs in scorer.test.ts.
  type Row = [LifecycleAction, ScorerStatus, "ok" | typeof NotFoundError | typeof InvalidStateError];
  const rows: Row[] = [
    ["register", "UNREGISTERED", "ok"],
    ["register", "STARTED", "ok"],
    ["register", "PAUSED", "ok"],
    ["start", "UNREGISTERED", NotFoundError],
    ["start", "STOPPED", "ok"],
    ["start", "STARTED", "ok"],
    ["start", "PAUSED", "ok"],
    ["update", "UNREGISTERED", NotFoundError],
    ["update", "PAUSED", "ok"],
    ["stop", "UNREGISTERED", NotFoundError],
    ["stop", "STARTED", "ok"],
    ["stop", "PAUSED", "ok"],
    ["pause", "UNREGISTERED", NotFoundError],
    ["pause", "STARTED", "ok"],
    ["pause", "STOPPED", InvalidStateError],
    ["pause", "PAUSED", InvalidStateError],
    ["resume", "UNREGISTERED", NotFoundError],
    ["resume", "PAUSED", "ok"],
    ["resume", "STARTED", InvalidStateError],
    ["resume", "STOPPED", InvalidStateError],
    ["delete", "UNREGISTERED", NotFoundError],
    ["delete", "STARTED", "ok"],
    ["delete", "PAUSED", "ok"],
  ];
  it.each(rows)("%s from %s", (action, from, outcome) => {
    if (outcome === "ok") expect(() => checkTransition(action, from, "safety")).not.toThrow();
    else expect(() => checkTransition(action, from, "safety")).toThrow(outcome);
  });

  it("the role policy documented in docs/scorers.md", () => {
    expect(ROLE_FOR_ACTION).toEqual({
      register: "admin",
      start: "operator",
      stop: "operator",
      pause: "operator",
      resume: "operator",
      update: "admin",
      delete: "admin",
    });
  });
});
