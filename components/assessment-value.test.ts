import { describe, expect, it } from "vitest";
import type { Assessment } from "@/lib/mlflow/types";
import { assessmentFilter, assessmentTone, assessmentValueText } from "./assessment-value";

const base: Assessment = {
  assessment_id: "a-1",
  assessment_name: "safety",
  trace_id: "tr-1",
  source: { source_type: "LLM_JUDGE", source_id: "vigil" },
  create_time: "",
  last_update_time: "",
};

describe("assessment value", () => {
  it.each([
    [{ feedback: { value: "yes" } }, "yes", "ok"],
    [{ feedback: { value: false } }, "false", "bad"],
    [{ feedback: { value: 0.12345 } }, "0.123", ""],
    [{ feedback: { value: 3 } }, "3", ""],
    [{ feedback: { error: { error_code: "RATE_LIMITED" } } }, "error: RATE_LIMITED", "warn"],
    [{ expectation: { value: { answer: "42" } } }, '{"answer":"42"}', ""],
    [{ expectation: { serialized_value: { serialization_format: "JSON", value: "[1]" } } }, "[1]", ""],
  ] as const)("%j reads %s with tone %j", (extra, text, tone) => {
    const a = { ...base, ...extra } as Assessment;
    expect(assessmentValueText(a)).toBe(text);
    expect(assessmentTone(a)).toBe(tone);
  });
});

describe("assessmentFilter", () => {
  it.each([
    [{ feedback: { value: "yes" } }, "feedback.`safety` = 'yes'"],
    [{ feedback: { value: false } }, "feedback.`safety` = 'false'"],
    [{ feedback: { value: 0.8 } }, "feedback.`safety` = '0.8'"],
    [{ feedback: { value: "it's" } }, null],
    [{ feedback: { value: ["a"] } }, null],
    [{ feedback: { error: { error_code: "TIMEOUT" } } }, null],
    [{ expectation: { value: "x" } }, null],
    [{ assessment_name: "we`ird", feedback: { value: "yes" } }, null],
  ])("%j -> %s", (over, want) => expect(assessmentFilter({ ...base, ...over } as Assessment)).toBe(want));
});
