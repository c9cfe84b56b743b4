import { describe, expect, it } from "vitest";
import { chatMessagesOf, conversationOf, traceConversation } from "./chat-messages";

const m = (role: string, text: string, toolCalls: { name: string; arguments: string }[] = []) => ({ role, text, toolCalls });

describe("chatMessagesOf", () => {
  it.each([
    [
      "OpenAI chat request",
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: [{ type: "text", text: "Reset my password?" }] },
        ],
      },
      [m("system", "Be brief."), m("user", "Reset my password?")],
    ],
    [
      "OpenAI response with a tool call",
      {
        choices: [{ message: { role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "lookup", arguments: '{"q":"pw"}' } }] } }],
      },
      [m("assistant", "", [{ name: "lookup", arguments: '{"q":"pw"}' }])],
    ],
    [
      "Anthropic request with system, tool_use and tool_result",
      {
        system: "You help.",
        messages: [
          { role: "user", content: "Order 7?" },
          { role: "assistant", content: [{ type: "tool_use", name: "orders", input: { id: 7 } }] },
          { role: "user", content: [{ type: "tool_result", content: [{ type: "text", text: "shipped" }] }] },
        ],
      },
      [m("system", "You help."), m("user", "Order 7?"), m("assistant", "", [{ name: "orders", arguments: '{"id":7}' }]), m("user", "shipped")],
    ],
    ["Anthropic response", { type: "message", role: "assistant", content: [{ type: "text", text: "It shipped." }] }, [m("assistant", "It shipped.")]],
    [
      "GenAI semconv messages (as JSON text)",
      JSON.stringify([
        { role: "user", parts: [{ type: "text", content: "Hi" }] },
        { role: "assistant", parts: [{ type: "tool_call", name: "search", arguments: { q: "hi" } }] },
        { role: "tool", parts: [{ type: "tool_call_response", response: "found" }] },
      ]),
      [m("user", "Hi"), m("assistant", "", [{ name: "search", arguments: '{"q":"hi"}' }]), m("tool", "found")],
    ],
    ["plain text", "How do I reset my password?", null],
    ["an object of another shape", { query: "x", k: 3 }, null],
    ["a list that is not messages", [{ id: 1 }], null],
    ["an empty message list", { messages: [] }, null],
  ])("%s", (_what, value, want) => expect(chatMessagesOf(value)).toEqual(want));
});

describe("conversationOf", () => {
  it("puts the answer after the request's messages", () => {
    expect(conversationOf({ messages: [{ role: "user", content: "Q" }] }, { choices: [{ message: { role: "assistant", content: "A" } }] })).toEqual([
      m("user", "Q"),
      m("assistant", "A"),
    ]);
  });
  it("is null when the request is not a chat, whatever the answer", () => {
    expect(conversationOf("Q", { choices: [{ message: { role: "assistant", content: "A" } }] })).toBeNull();
  });
});

describe("traceConversation", () => {
  const llm = (start: string, q: string, a: string) => ({
    span_type: "CHAT_MODEL",
    start_time_ns: start,
    attributes: {
      "mlflow.spanInputs": { messages: [{ role: "user", content: q }] },
      "mlflow.spanOutputs": { choices: [{ message: { role: "assistant", content: a } }] },
    },
  });
  const tool = { span_type: "TOOL", start_time_ns: "9000000000", attributes: { "mlflow.spanInputs": { messages: [{ role: "user", content: "not an LLM" }] } } };

  it.each([
    [
      "the trace's own chat request and response",
      { messages: [{ role: "user", content: "Q" }] },
      { choices: [{ message: { role: "assistant", content: "A" } }] },
      [],
      "trace",
      ["Q", "A"],
    ],
    [
      "else the last LLM call (by start time, not by order)",
      "Q as text",
      "A as text",
      [llm("10000000000", "second", "2"), llm("900000000", "first", "1"), tool],
      "llm_span",
      ["second", "2"],
    ],
  ])("%s", (_what, request, response, spans, from, texts) => {
    const c = traceConversation(request, response, spans);
    expect(c?.from).toBe(from);
    expect(c?.messages.map((m) => m.text)).toEqual(texts);
  });

  it("is null without a chat anywhere", () => expect(traceConversation("Q", "A", [tool])).toBeNull());
});
