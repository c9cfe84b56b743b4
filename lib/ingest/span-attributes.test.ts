import { describe, expect, it } from "vitest";
import { decodeAttributes, decodeAttributesToJson, validateSpan } from "./span-attributes";
import type { IncomingSpan } from "./types";

describe("stored span attributes", () => {
  // The spliced JSON text must read back as exactly what decodeAttributes keeps.
  it.each([
    ["MLflow JSON object", { "mlflow.spanInputs": ' {"messages": [{"role": "user", "content": "hi"}]} ' }],
    ["MLflow JSON string", { "mlflow.spanType": '"LLM"' }],
    ["MLflow number and null", { "mlflow.a": "42", "mlflow.b": "null" }],
    ["MLflow value that is not JSON", { "mlflow.spanFunctionName": "predict", "mlflow.bad": "{oops" }],
    ["non-MLflow JSON-looking string stays a string", { "input.value": '{"q": 1}' }],
    ["plain values", { n: 1.5, b: true, list: ["a", 2], obj: { k: [null] }, nil: null, s: 'quote " and \\ slash' }],
    ["no attributes", {}],
    [
      "GenAI conventions become MLflow's span type, tokens and messages",
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 3,
        "gen_ai.input.messages": '[{"role":"user","content":"hi"}]',
      },
    ],
  ])("%s", (_label, attrs: Record<string, unknown>) => {
    const { attributes, json } = decodeAttributesToJson(attrs);
    expect(attributes).toEqual(decodeAttributes(attrs));
    expect(JSON.parse(json)).toEqual(decodeAttributes(attrs));
  });
});

it("maps gen_ai.* onto MLflow's attributes when storing", () => {
  const { attributes } = decodeAttributesToJson({ "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 3 });
  expect(attributes).toMatchObject({ "mlflow.spanType": "CHAT_MODEL", "mlflow.chat.tokenUsage": { input_tokens: 12, output_tokens: 3, total_tokens: 15 } });
});

describe("validateSpan", () => {
  const ok: IncomingSpan = {
    traceIdHex: "0af7651916cd43dd8448eb211c80319c",
    spanIdHex: "b7ad6b7169203331",
    parentSpanIdHex: null,
    name: "s",
    kind: 1,
    startTimeNs: "1700000000000000000",
    endTimeNs: "1700000000000000001",
    statusCode: "STATUS_CODE_UNSET",
    statusMessage: "",
    attributes: {},
    events: [],
  };
  it.each([
    ["a valid span", {}, null],
    ["an open span", { endTimeNs: null }, null],
    ["a missing trace id", { traceIdHex: "" }, "trace id must be 32 hex characters, not all zero"],
    ["an all-zero trace id", { traceIdHex: "0".repeat(32) }, "trace id must be 32 hex characters, not all zero"],
    ["an upper-case span id", { spanIdHex: "B7AD6B7169203331" }, "span id must be 16 hex characters, not all zero"],
    ["an all-zero span id", { spanIdHex: "0".repeat(16) }, "span id must be 16 hex characters, not all zero"],
    ["a short parent id", { parentSpanIdHex: "abc" }, "parent span id must be 16 hex characters"],
    ["a zero start time", { startTimeNs: "0" }, "start time is missing"],
    ["an end before the start", { endTimeNs: "1699999999999999999" }, "end time is before start time"],
  ])("%s", (_label, patch: Partial<IncomingSpan>, reason) => {
    expect(validateSpan({ ...ok, ...patch })).toBe(reason);
  });
});

describe("attribute encodings (JSON text as MLflow holds it, decoded as Span.to_otel_proto sends it)", () => {
  it.each([
    [
      "JSON text",
      { "mlflow.spanType": '"CHAIN"', "mlflow.spanInputs": '{"q":"hi"}', "mlflow.spanOutputs": '"42"' },
      { "mlflow.spanType": "CHAIN", "mlflow.spanInputs": { q: "hi" }, "mlflow.spanOutputs": "42" },
    ],
    // A decoded string output that looks like JSON stays a string: spanType says the span is decoded.
    [
      "decoded",
      { "mlflow.spanType": "CHAIN", "mlflow.spanInputs": { q: "hi" }, "mlflow.spanOutputs": '{"a":1}' },
      { "mlflow.spanType": "CHAIN", "mlflow.spanInputs": { q: "hi" }, "mlflow.spanOutputs": '{"a":1}' },
    ],
    [
      "decoded number-like string",
      { "mlflow.traceRequestId": "tr-1", "mlflow.spanOutputs": "42" },
      { "mlflow.traceRequestId": "tr-1", "mlflow.spanOutputs": "42" },
    ],
    [
      "JSON text, value not JSON",
      { "mlflow.spanType": '"LLM"', "mlflow.spanFunctionName": "predict" },
      { "mlflow.spanType": "LLM", "mlflow.spanFunctionName": "predict" },
    ],
    [
      "no marker: values decoded when they read as JSON",
      { "mlflow.spanInputs": '{"q":1}', "mlflow.x": "plain" },
      { "mlflow.spanInputs": { q: 1 }, "mlflow.x": "plain" },
    ],
  ])("%s", (_label, attrs: Record<string, unknown>, expected) => {
    expect(decodeAttributes(attrs)).toEqual(expected);
    const { attributes, json } = decodeAttributesToJson(attrs);
    expect(attributes).toEqual(expected);
    expect(JSON.parse(json)).toEqual(expected);
  });
});
