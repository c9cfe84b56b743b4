import { describe, expect, it } from "vitest";
import { InvalidParameterError } from "@/lib/core/errors";
import { MAX_SCORER_NAME_LENGTH, validateScorerName } from "./names";

describe("validateScorerName", () => {
  it.each(["safety", "RelevanceToQuery", "tone_v2", "polite-closing", "réponse courte", "安全", "a".repeat(MAX_SCORER_NAME_LENGTH)])("accepts %j", (name) =>
    expect(validateScorerName(name)).toBe(name),
  );

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    [null, /must be a string, got null/],
    [42, /must be a string, got number/],
    ["tone.v2", /must not contain '\.'/],
    ["a".repeat(MAX_SCORER_NAME_LENGTH + 1), /at most 256/],
    ["tab\there", /control characters/],
    ["line\nbreak", /control characters/],
  ])("rejects %j", (name, message) => {
    expect(() => validateScorerName(name)).toThrow(InvalidParameterError);
    expect(() => validateScorerName(name)).toThrow(message);
  });
});
