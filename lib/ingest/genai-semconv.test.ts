import { describe, expect, it } from "vitest";
import { GENAI_OPERATION_TO_SPAN_TYPE, genAiAttributes } from "./genai-semconv";

describe("genAiAttributes", () => {
  it.each(Object.entries(GENAI_OPERATION_TO_SPAN_TYPE))("gen_ai.operation.name %s is span type %s", (op, type) => {
    expect(genAiAttributes({ "gen_ai.operation.name": op })).toEqual({ "mlflow.spanType": type });
  });

  it.each([
    [
      "token counts, total added",
      { "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 30 },
      { "mlflow.chat.tokenUsage": { input_tokens: 120, output_tokens: 30, total_tokens: 150 } },
    ],
    [
      "int64 counts as text (protobuf)",
      { "gen_ai.usage.input_tokens": "7", "gen_ai.usage.output_tokens": "5" },
      { "mlflow.chat.tokenUsage": { input_tokens: 7, output_tokens: 5, total_tokens: 12 } },
    ],
    ["only input tokens", { "gen_ai.usage.input_tokens": 9 }, { "mlflow.chat.tokenUsage": { input_tokens: 9, output_tokens: 0, total_tokens: 9 } }],
    ["negative or fractional counts are not counts", { "gen_ai.usage.input_tokens": -1, "gen_ai.usage.output_tokens": 1.5 }, {}],
    [
      "messages as JSON text",
      { "gen_ai.input.messages": '[{"role":"user","content":"hi"}]', "gen_ai.output.messages": '[{"role":"assistant","content":"yo"}]' },
      { "mlflow.spanInputs": [{ role: "user", content: "hi" }], "mlflow.spanOutputs": [{ role: "assistant", content: "yo" }] },
    ],
    [
      "a tool call",
      { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.call.arguments": '{"order":42}', "gen_ai.tool.call.result": "shipped" },
      { "mlflow.spanType": "TOOL", "mlflow.spanInputs": { order: 42 }, "mlflow.spanOutputs": "shipped" },
    ],
    ["empty messages are skipped", { "gen_ai.input.messages": "[]", "gen_ai.tool.call.arguments": "{}" }, {}],
    ["an unknown operation", { "gen_ai.operation.name": "dance" }, {}],
    ["a JSON-text operation", { "gen_ai.operation.name": '"chat"' }, { "mlflow.spanType": "CHAT_MODEL" }],
    [
      "MLflow's own attributes win",
      {
        "gen_ai.operation.name": "chat",
        "mlflow.spanType": "AGENT",
        "gen_ai.usage.input_tokens": 3,
        "mlflow.chat.tokenUsage": { input_tokens: 1 },
        "gen_ai.input.messages": "[1]",
        "mlflow.spanInputs": "x",
      },
      {},
    ],
    ["nothing GenAI", { "http.method": "GET" }, {}],
  ])("%s", (_label, attrs: Record<string, unknown>, want) => expect(genAiAttributes(attrs)).toEqual(want));
});
