import { describe, expect, it } from "vitest";
import { parseUpdateMask } from "./update-assessment";

describe("update_mask", () => {
  it.each([
    ["rationale,feedback", ["rationale", "feedback"]],
    ["assessmentName, valid", ["assessment_name", "valid"]],
    ["metadata,metadata", ["metadata"]],
    [{ paths: ["expectation"] }, ["expectation"]],
  ])("reads %j", (mask, expected) => {
    expect(parseUpdateMask(mask)).toEqual(expected);
  });

  it.each([
    ["span_id", "cannot be updated"],
    ["rationale,source", "'source'"],
    ["", "at least one"],
    [" , ", "at least one"],
    [undefined, "comma-separated"],
    [42, "comma-separated"],
  ])("refuses %j", (mask, message) => {
    expect(() => parseUpdateMask(mask)).toThrow(message);
  });
});
