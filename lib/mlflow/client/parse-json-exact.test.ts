// parseJsonExact: integers past 2^53 stay exact (as decimal strings); everything else parses as JSON.parse does.
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./http";

const cases: [name: string, text: string, want: unknown][] = [
  [
    "no long digit run (the fast path)",
    '{"assessment":{"assessment_id":"a-1f","create_time":"2026-12-08T00:00:00Z","value":0.25}}',
    { assessment: { assessment_id: "a-1f", create_time: "2026-12-08T00:00:00Z", value: 0.25 } },
  ],
  ["a nanosecond time past 2^53 becomes a string", '{"start_time_unix_nano":1796691199433000001}', { start_time_unix_nano: "1796691199433000001" }],
  ["a 16-digit integer that is still exact stays a number", '{"n":1234567890123456}', { n: 1234567890123456 }],
  ["16 digits inside a string are left alone", '{"id":"tr-1234567890123456789012","n":7}', { id: "tr-1234567890123456789012", n: 7 }],
  ["a long decimal fraction is a float, not an integer", '{"x":0.12345678901234567}', { x: 0.12345678901234567 }],
  ["a top-level big integer", "12345678901234567890", "12345678901234567890"],
  ["after whitespace and a newline", '{"n":\n  12345678901234567890}', { n: "12345678901234567890" }],
  ["a negative big integer", '{"n":-9007199254740993}', { n: "-9007199254740993" }],
  ["big integers in an array, beside strings with digits", '["12345678901234567890", 12345678901234567890]', ["12345678901234567890", "12345678901234567890"]],
];

describe("parseJsonExact", () => {
  it.each(cases)("%s", (_name, text, want) => {
    expect(parseJsonExact(text)).toStrictEqual(want);
  });

  it("refuses what is not JSON, with or without a long digit run", () => {
    expect(() => parseJsonExact("{oops")).toThrow(SyntaxError);
    expect(() => parseJsonExact("{oops 12345678901234567890")).toThrow(SyntaxError);
  });
});
