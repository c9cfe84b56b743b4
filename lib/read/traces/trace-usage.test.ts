import { describe, expect, it } from "vitest";
import { parseUsage, spanUsage, sumUsage } from "./trace-usage";

const prices = { "gpt-4o-mini": { input: 0.15, output: 0.6 } };

describe("trace usage", () => {
  it.each([
    [
      { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
      { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    ],
    ['{"input_tokens": 7, "output_tokens": 3}', { inputTokens: 7, outputTokens: 3, totalTokens: 10 }],
    [{ total_tokens: 40 }, { inputTokens: 0, outputTokens: 0, totalTokens: 40 }],
    [{ input_tokens: -1 }, null],
    ["not json", null],
    [[1, 2], null],
    [undefined, null],
  ])("parseUsage(%j) -> %j", (v, want) => expect(parseUsage(v)).toEqual(want));

  it.each([
    [
      "MLflow's chat token usage and the response model",
      { "mlflow.chat.tokenUsage": { input_tokens: 100, output_tokens: 20 }, "gen_ai.response.model": "gpt-4o-mini-2024-07-18" },
      { totalTokens: 120, model: "gpt-4o-mini-2024-07-18" },
    ],
    [
      "gen_ai usage counts and the request model",
      { "gen_ai.usage.input_tokens": 8, "gen_ai.usage.output_tokens": 2, "gen_ai.request.model": "gpt-4o" },
      { totalTokens: 10, model: "gpt-4o" },
    ],
    ["a model attribute", { "mlflow.chat.tokenUsage": '{"input_tokens": 1, "output_tokens": 1}', model: "claude-3" }, { totalTokens: 2, model: "claude-3" }],
    ["no model", { "mlflow.chat.tokenUsage": { input_tokens: 1 } }, { totalTokens: 1, model: null }],
  ])("spanUsage: %s", (_what, attrs, want) => expect(spanUsage(attrs)).toMatchObject(want));

  it("spanUsage is null for a span without token counts", () => expect(spanUsage({ "mlflow.spanType": "TOOL" })).toBeNull());

  it("sums spans and prices those with a known model (longest prefix), counting the others as unpriced", () => {
    const u = sumUsage(
      [
        { inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000, model: "gpt-4o-mini-2024-07-18" },
        { inputTokens: 0, outputTokens: 1_000_000, totalTokens: 1_000_000, model: "gpt-4o-mini" },
        { inputTokens: 5, outputTokens: 5, totalTokens: 10, model: "mystery-model" },
        { inputTokens: 1, outputTokens: 1, totalTokens: 2, model: null },
      ],
      prices,
    );
    expect(u).toEqual({ inputTokens: 1_000_006, outputTokens: 1_000_006, totalTokens: 2_000_012, costUsd: 0.75, unpriced: 2 });
    expect(sumUsage([], prices)).toBeNull();
    expect(sumUsage([{ inputTokens: 1, outputTokens: 1, totalTokens: 2, model: "x" }], prices)).toMatchObject({ costUsd: null, unpriced: 1 });
  });
});
