import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ScorerError } from "../errors";
import { fixtures, supportTrace } from "../fixtures/support-agent";
import { runScorer } from "../run";
import { inputFromTrace } from "../trace";
import type { ScorerEnv } from "../types";
import { answer, type FakeJudgeServer, startFakeJudgeServer } from "./fake-judge-server";
import { InstructionsJudge, templateVariables, traceOutline } from "./instructions";
import { parseJudgeAnswer, schemaFromValueType, unfence, valueTypeFromSchema } from "./parse";

let server: FakeJudgeServer;
let env: ScorerEnv;
beforeAll(async () => {
  server = await startFakeJudgeServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  env = { fetch, judge: { baseUrl: server.baseUrl, model: "gpt-4o-mini", timeoutMs: 2000 } };
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable("expected a failure"),
    (e: unknown) => e as ScorerError,
  );
const last = () => server.requests.at(-1)!;

describe("InstructionsJudge (make_judge)", () => {
  it("finds placeholders in order of appearance", () => {
    expect(templateVariables("Given {{ inputs }} rate {{outputs}} vs {{ expectations }}; {{ inputs }} again")).toEqual(["inputs", "outputs", "expectations"]);
  });

  it("returns a numeric score and asks for a number", async () => {
    server.respond(() => ({ body: answer(4, "Mostly helpful.") }));
    const params = {
      instructions: "Rate from 1 to 5 how helpful {{ outputs }} is for {{ inputs }}.",
      model: "openai:/gpt-4.1-mini",
      feedback_value_type: { type: "integer", minimum: 1, maximum: 5 },
    };
    const r = await runScorer(InstructionsJudge, inputFromTrace(fixtures.happy()), params, env);
    expect(r).toMatchObject({ value: 4, rationale: "Mostly helpful.", usage: { promptTokens: 321, completionTokens: 42 } });
    expect(last().body.model).toBe("gpt-4.1-mini");
    expect(last().body.response_format.json_schema.schema.properties.result).toEqual({ type: "integer" });
    expect(last().body.messages[0]!.content).toContain("Rate from 1 to 5 how helpful {{ outputs }}");
    // Values go to the user message, in placeholder order, as JSON.
    const user = last().body.messages[1]!.content;
    expect(user.indexOf("outputs: {")).toBeLessThan(user.indexOf("inputs: {"));
    expect(user).toContain('"content": "Hi, can I get a refund');
  });

  it.each([
    ["a numeric string", "3", 3],
    ["a float for a number type", 2.5, 2.5],
  ])("accepts %s for numbers", async (_l, result, value) => {
    server.respond(() => ({ body: answer(result) }));
    const r = await runScorer(
      InstructionsJudge,
      inputFromTrace(fixtures.happy()),
      { instructions: "Score {{ outputs }}", feedback_value_type: { type: "number" } },
      env,
    );
    expect(r.value).toBe(value);
  });

  it.each([
    ["above the maximum", 9],
    ["a word", "four"],
    ["a non-integer for integer", 3.5],
  ])("rejects %s as permanent, never guessing", async (_l, result) => {
    server.respond(() => ({ body: answer(result) }));
    const err = await failure(
      runScorer(
        InstructionsJudge,
        inputFromTrace(fixtures.happy()),
        { instructions: "Score {{ outputs }}", feedback_value_type: { type: "integer", minimum: 1, maximum: 5 } },
        env,
      ),
    );
    expect(err.kind).toBe("permanent");
    expect(err.message).toMatch(/outside the domain \(an integer between 1 and 5\); not guessing/);
  });

  it("supports yes/no via an enum and renders {{ trace }} as a span outline", async () => {
    server.respond(() => ({ body: answer("no", "The refund tool failed but the answer claims success.") }));
    const params = {
      instructions: "Does the answer in {{ outputs }} match what the tools did in {{ trace }}?",
      feedback_value_type: { type: "string", enum: ["yes", "no"] },
    };
    const r = await runScorer(InstructionsJudge, inputFromTrace(fixtures.toolFailure()), params, env);
    expect(r.value).toBe("no");
    const user = last().body.messages[1]!.content;
    expect(user).toMatch(/trace:\ntrace tr-\w+ state=OK duration_ms=1840/);
    expect(user).toMatch(/- issue_refund \[TOOL\] 470 ms ERROR: PaymentGatewayError/);
    expect(user).toMatch(/ {4}- search_kb \[RETRIEVER\]/);
  });

  it("passes expectations through", async () => {
    server.respond(() => ({ body: answer("yes") }));
    const trace = supportTrace({ expectations: { expected_response: "A refund within 5-7 days." } });
    await runScorer(InstructionsJudge, inputFromTrace(trace), { instructions: "Compare {{ outputs }} with {{ expectations }}" }, env);
    expect(last().body.messages[1]!.content).toContain('"expected_response": "A refund within 5-7 days."');
    // No feedback_value_type: MLflow's default is a free string.
    expect(last().body.response_format.json_schema.schema.properties.result).toEqual({ type: "string" });
  });

  it.each([
    [{ instructions: "Judge this answer." }, /at least one placeholder/],
    [{ instructions: "Judge {{ outputs }} for {{ persona }}" }, /unsupported placeholders persona/],
    [{ instructions: "Judge {{ conversation }} against {{ outputs }}" }, /conversation.*cannot be combined with outputs/],
    [{ instructions: "Judge {{ outputs }}", feedback_value_type: { type: "object" } }, /not supported/],
    [{ instructions: "" }, /instructions/],
  ])("rejects invalid params %j", async (params, message) => {
    const err = await failure(runScorer(InstructionsJudge, inputFromTrace(fixtures.happy()), params, env));
    expect(err.kind).toBe("permanent");
    expect(err.message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it("outlines at most maxSpans spans", () => {
    const outline = traceOutline(fixtures.happy(), 3);
    expect(outline.split("\n")).toHaveLength(5);
    expect(outline).toMatch(/… 2 more spans$/);
  });
});

describe("answer parsing", () => {
  it.each([
    ['```json\n{"result": "yes"}\n```', '{"result": "yes"}'],
    ['Sure.\n```JSON\n{"a": 1}\n```\nDone.', '{"a": 1}'],
    ['  {"result": 1}  ', '{"result": 1}'],
  ])("unfences %j", (input, out) => expect(unfence(input)).toBe(out));

  it("supplies a placeholder when the rationale is missing, but never a value", () => {
    expect(parseJudgeAnswer('{"result": "yes"}', { kind: "categorical", options: ["yes", "no"] })).toEqual({
      value: "yes",
      rationale: "(The judge gave no rationale.)",
    });
    expect(() => parseJudgeAnswer('{"rationale": "fine"}', { kind: "boolean" })).toThrow(/no "result" field/);
  });

  it.each([
    [
      { type: "string", enum: ["good", "bad"] },
      { kind: "categorical", options: ["good", "bad"] },
    ],
    [
      { type: "number", minimum: 0, maximum: 1 },
      { kind: "number", min: 0, max: 1 },
    ],
    [{ type: "integer" }, { kind: "number", integer: true }],
    [{ type: "boolean" }, { kind: "boolean" }],
    [{ type: "string", title: "Result" }, { kind: "string" }],
    [null, { kind: "string" }],
  ])("maps MLflow's feedback_value_type %j", (schema, type) => {
    expect(valueTypeFromSchema(schema)).toEqual(type);
    if (schema) expect(valueTypeFromSchema(schemaFromValueType(type as never))).toEqual(type);
  });
});
