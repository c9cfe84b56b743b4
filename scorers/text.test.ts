import { describe, expect, it } from "vitest";
import { chatCompletion, userMessages } from "./fixtures/support-agent";
import { assistantText, inputText, outputText, truncate } from "./text";

describe("outputText", () => {
  it.each([
    ["a plain string", "Hello", "Hello"],
    ["an OpenAI chat completion", chatCompletion("Your refund is on its way."), "Your refund is on its way."],
    ["a chat completion as a JSON string", JSON.stringify(chatCompletion("From JSON.")), "From JSON."],
    [
      "content parts",
      {
        choices: [
          {
            message: {
              role: "assistant",
              content: [
                { type: "text", text: "Part A. " },
                { type: "text", text: "Part B." },
              ],
            },
          },
        ],
      },
      "Part A. Part B.",
    ],
    ["a legacy completion", { choices: [{ text: "legacy" }] }, "legacy"],
    ["{content}", { content: "short" }, "short"],
    [
      "a messages array",
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "first" },
          { role: "tool", content: "{}" },
          { role: "assistant", content: "final" },
        ],
      },
      "final",
    ],
    [
      "a bare message list",
      [
        { role: "user", content: "q" },
        { role: "assistant", content: "a" },
      ],
      "a",
    ],
    ["a Responses-API output", { output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "resp" }] }] }, "resp"],
    ["LangChain-style {output}", { output: "chain answer" }, "chain answer"],
    ["{answer}", { answer: "42" }, "42"],
    ["a number", 7, "7"],
    ["other objects as compact JSON", { intent: "refund", ok: true }, '{"intent":"refund","ok":true}'],
    ["null", null, ""],
  ])("reads %s", (_l, value, text) => expect(outputText(value)).toBe(text));
});

describe("inputText", () => {
  it.each([
    ["chat messages: the last user message", userMessages("Where is my parcel?"), "Where is my parcel?"],
    ["{query}", { query: "refund policy" }, "refund policy"],
    ["{question}", { question: "why?" }, "why?"],
    ["a string", "hi", "hi"],
  ])("reads %s", (_l, value, text) => expect(inputText(value)).toBe(text));
});

describe("helpers", () => {
  it("assistantText is undefined for plain strings and non-chat objects", () => {
    expect(assistantText("x")).toBeUndefined();
    expect(assistantText({ intent: "refund" })).toBeUndefined();
    expect(assistantText(chatCompletion("y"))).toBe("y");
  });

  it("truncate never splits a surrogate pair", () => {
    expect(truncate("ab😀cd", 3)).toBe("ab😀… [2 more characters]");
    expect(truncate("short", 10)).toBe("short");
  });
});
