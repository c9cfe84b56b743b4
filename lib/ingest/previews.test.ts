import { describe, expect, it } from "vitest";
import { decodeMaybeJson, extractRequestResponse, previewOf, PREVIEW_MAX, truncate } from "./previews";

type Attrs = Record<string, unknown>;
const j = (v: unknown) => JSON.stringify(v);

// [label, root span attributes, child span attributes, request preview, response preview]
const cases: [string, Attrs, Attrs[], string | null, string | null][] = [
  [
    "MLflow chat inputs and ChatCompletion outputs",
    {
      "mlflow.spanInputs": j({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hello" },
        ],
      }),
      "mlflow.spanOutputs": j({ choices: [{ message: { role: "assistant", content: "hi there" } }] }),
    },
    [],
    "hello",
    "hi there",
  ],
  [
    "MLflow function inputs (kept as JSON, as MLflow shows them)",
    { "mlflow.spanInputs": j({ question: "why?", k: 3 }), "mlflow.spanOutputs": j("because") },
    [],
    '{"question":"why?","k":3}',
    "because",
  ],
  [
    "OpenAI messages with content parts, last user turn wins",
    {
      "mlflow.spanInputs": j({
        messages: [
          { role: "user", content: "first" },
          { role: "assistant", content: "ok" },
          {
            role: "user",
            content: [
              { type: "text", text: "second" },
              { type: "text", text: "turn" },
            ],
          },
        ],
      }),
    },
    [],
    "second turn",
    null,
  ],
  [
    "gen_ai.input.messages / gen_ai.output.messages (parts)",
    {
      "gen_ai.input.messages": j([{ role: "user", parts: [{ type: "text", content: "capital of France?" }] }]),
      "gen_ai.output.messages": j([{ role: "assistant", parts: [{ type: "text", content: "Paris" }], finish_reason: "stop" }]),
    },
    [],
    "capital of France?",
    "Paris",
  ],
  [
    "OpenInference input.value / output.value as text",
    { "input.value": "plain question", "output.value": "plain answer" },
    [],
    "plain question",
    "plain answer",
  ],
  [
    "OpenInference input.value holding JSON messages",
    { "input.value": j({ messages: [{ role: "user", content: "from json" }] }), "input.mime_type": "application/json" },
    [],
    "from json",
    null,
  ],
  [
    "AI SDK ai.prompt JSON with a plain prompt and ai.response.text",
    { "ai.prompt": j({ system: "You summarize.", prompt: "Summarize this" }), "ai.response.text": "Summary." },
    [],
    "Summarize this",
    "Summary.",
  ],
  [
    "AI SDK ai.prompt.messages with content parts",
    { "ai.prompt.messages": j([{ role: "user", content: [{ type: "text", text: "parts prompt" }] }]) },
    [],
    "parts prompt",
    null,
  ],
  [
    "OpenLLMetry flattened gen_ai.prompt.N / gen_ai.completion.N",
    {
      "gen_ai.prompt.0.role": "system",
      "gen_ai.prompt.0.content": "sys",
      "gen_ai.prompt.1.role": "user",
      "gen_ai.prompt.1.content": "flat q",
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.content": "flat a",
    },
    [],
    "flat q",
    "flat a",
  ],
  [
    "OpenInference flattened llm.input_messages",
    {
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.content": "oi q",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": "oi a",
    },
    [],
    "oi q",
    "oi a",
  ],
  [
    "a root without either falls back to the first child that has them",
    { "service.name": "x" },
    [{ other: 1 }, { "input.value": "child q" }, { "output.value": "child a" }],
    "child q",
    "child a",
  ],
  ["the root wins over children", { "input.value": "root q" }, [{ "input.value": "child q", "output.value": "child a" }], "root q", "child a"],
  ["nothing anywhere", {}, [{ a: 1 }], null, null],
];

describe("request/response previews", () => {
  it.each(cases)("%s", (_label, root, children, req, resp) => {
    const { request, response } = extractRequestResponse(root, children);
    expect(previewOf(request, "request")).toBe(req);
    expect(previewOf(response, "response")).toBe(resp);
  });

  it(`truncates previews to ${PREVIEW_MAX} characters`, () => {
    const p = previewOf("x".repeat(5000), "request")!;
    expect(p).toHaveLength(PREVIEW_MAX);
    expect(p.endsWith("...")).toBe(true);
    expect(truncate("short")).toBe("short");
  });

  it.each([
    ['"quoted"', "quoted"],
    ["[1,2]", [1, 2]],
    ["42", 42],
    ["not json", "not json"],
    ["{broken", "{broken"],
    [7, 7],
  ])("decodeMaybeJson(%j)", (input, expected) => expect(decodeMaybeJson(input)).toEqual(expected));
});
