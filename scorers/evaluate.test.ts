import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ResponseLength } from "./builtin/response-length";
import politeClosing from "./custom/polite-closing";
import { evaluateExamples, traceFromExample } from "./evaluate";
import { chatCompletion, supportTrace, userMessages } from "./fixtures/support-agent";
import { answer, type FakeJudgeServer, startFakeJudgeServer } from "./judges/fake-judge-server";
import { InstructionsJudge } from "./judges/instructions";
import { runScorer } from "./run";
import { inputFromTrace, traceOutputs } from "./trace";
import { defineScorer, type ScorerEnv } from "./types";

let server: FakeJudgeServer;
let env: ScorerEnv;
beforeAll(async () => {
  server = await startFakeJudgeServer();
  env = { fetch, judge: { baseUrl: server.baseUrl, model: "gpt-4o-mini", timeoutMs: 2000 } };
});
afterAll(async () => {
  await server.close();
});

const examples = [
  {
    inputs: userMessages("Can I return shoes?"),
    outputs: chatCompletion("Yes, within 30 days. Let me know if you need a label!"),
    expectations: { expected_response: "Yes, 30 days." },
  },
  { inputs: { question: "Opening hours?" }, outputs: "We open at 9am.", expectations: {} },
  { inputs: { question: "Help" }, outputs: { messages: [{ role: "assistant", content: "x".repeat(300) }] } },
];

const flaky = defineScorer({
  name: "flaky",
  description: "throws on the second example",
  needs: ["outputs"],
  async score({ outputs }) {
    if (outputs === "We open at 9am.") throw new Error("boom");
    return { value: 1, rationale: "ok" };
  },
});

describe("evaluateExamples", () => {
  it("runs code scorers, team scorers and judges over a dev set, with aggregates", async () => {
    let n = 0;
    server.respond(() => ({ body: answer([5, 2, 3][n++ % 3]) }));
    const report = await evaluateExamples(
      [
        { scorer: ResponseLength, params: { max: 100 }, name: "short" },
        politeClosing,
        {
          scorer: InstructionsJudge,
          params: { instructions: "Rate {{ outputs }} for {{ inputs }}", feedback_value_type: { type: "integer" } },
          name: "helpful",
        },
        flaky,
      ],
      examples,
      env,
    );
    expect(report.examples.map((e) => e.results.short)).toMatchObject([{ value: "yes" }, { value: "yes" }, { value: "no" }]);
    expect(report.examples.map((e) => (e.results["polite-closing"] as { value: string }).value)).toEqual(["yes", "no", "no"]);
    expect(report.examples[1]!.results.flaky).toEqual({ error: { kind: "permanent", message: "flaky failed: boom" } });
    expect(report.aggregates.short).toMatchObject({ count: 3, errors: 0, passRate: 2 / 3, mean: null });
    expect(report.aggregates.helpful).toMatchObject({
      count: 3,
      errors: 0,
      passRate: null,
      mean: 10 / 3,
      min: 2,
      max: 5,
      promptTokens: 963,
      completionTokens: 126,
    });
    expect(report.aggregates.flaky).toMatchObject({ count: 3, errors: 1, mean: 1 });
    // The judge saw each example's own inputs.
    expect(server.requests[1]!.body.messages[1]!.content).toContain('"question": "Opening hours?"');
  });

  it("scores a dev example exactly as it scores the same exchange on a live trace", async () => {
    const live = supportTrace({ answer: "All done. Have a great day!" });
    const example = { inputs: live.info.request, outputs: traceOutputs(live) };
    const fromLive = await runScorer(politeClosing, inputFromTrace(live), {}, env);
    const fromDev = await evaluateExamples([politeClosing], [example], env);
    expect(fromDev.examples[0]!.results["polite-closing"]).toEqual(fromLive);
  });

  it("builds a minimal trace per example with its expectations", () => {
    const t = traceFromExample(examples[0]!, 0);
    expect(t.spans).toHaveLength(1);
    expect(inputFromTrace(t).expectations).toEqual({ expected_response: "Yes, 30 days." });
    expect(t.info.trace_id).toMatch(/^tr-e7a1[0-9a-f]{28}$/);
  });

  it("refuses two scorers with the same column name", async () => {
    await expect(evaluateExamples([politeClosing, politeClosing], examples, env)).rejects.toThrow(/Two scorers are named 'polite-closing'/);
  });
});

describe("runScorer checks what team code returns", () => {
  const bad = (result: unknown) => defineScorer({ name: "bad", description: "", needs: [], params: z.object({}), score: async () => result as never });
  it.each([
    [undefined, /no valid feedback value/],
    [{ rationale: "no value" }, /no valid feedback value/],
    [{ value: Number.NaN, rationale: "" }, /no valid feedback value/],
    [{ value: () => 1, rationale: "" }, /no valid feedback value/],
    [{ value: "yes" }, /no rationale string/],
  ])("rejects %j", async (result, message) => {
    await expect(runScorer(bad(result), inputFromTrace(supportTrace()), {}, env)).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringMatching(message),
    });
  });

  it("accepts lists and maps of values and stringifies metadata", async () => {
    const ok = defineScorer({
      name: "ok",
      description: "",
      needs: [],
      score: async () => ({ value: { a: [1, "x", true, null] }, rationale: "fine", metadata: { n: 3 as unknown as string } }),
    });
    expect(await runScorer(ok, inputFromTrace(supportTrace()), {}, env)).toEqual({
      value: { a: [1, "x", true, null] },
      rationale: "fine",
      metadata: { n: "3" },
    });
  });
});
