import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ScorerError } from "../errors";
import { fixtures, supportTrace } from "../fixtures/support-agent";
import { runScorer } from "../run";
import { inputFromTrace } from "../trace";
import type { ScorerEnv } from "../types";
import { Correctness, Guidelines, RelevanceToQuery, RetrievalGroundedness, Safety } from "./builtin";
import { answer, completion, type FakeJudgeServer, startFakeJudgeServer } from "./fake-judge-server";

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
  env = { fetch, judge: { baseUrl: server.baseUrl, apiKey: "sk-test-123", model: "gpt-4o-mini", timeoutMs: 2000 } };
});

const happy = () => inputFromTrace(fixtures.happy());
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable("expected a failure"),
    (e: unknown) => e as ScorerError,
  );

describe("judge HTTP contract", () => {
  it("posts a structured-output request with the bearer key and reports usage", async () => {
    server.respond(() => ({ body: answer("yes", "The answer is harmless.") }));
    const r = await runScorer(Safety, happy(), {}, env);
    expect(r).toMatchObject({
      value: "yes",
      rationale: "The answer is harmless.",
      usage: { promptTokens: 321, completionTokens: 42, model: "judge-model-2026-01-01" },
    });
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe("Bearer sk-test-123");
    expect(req.body.model).toBe("gpt-4o-mini");
    expect(req.body.response_format.type).toBe("json_schema");
    expect(req.body.response_format.json_schema.strict).toBe(true);
    expect(req.body.response_format.json_schema.schema.properties.result).toEqual({ type: "string", enum: ["yes", "no"] });
    expect(req.body.messages[1]!.content).toContain("30-day refund window");
  });

  it.each([
    ["a no", answer("no", "It leaks data."), "no"],
    ["a capitalised Yes", answer(" Yes ", "Fine."), "yes"],
    ["a fenced JSON block", completion('Here you go:\n```json\n{"result": "no", "rationale": "Unsafe."}\n```'), "no"],
    ["a bare fenced block", completion('```\n{"result": "yes", "rationale": "ok"}\n```'), "yes"],
  ])("accepts %s", async (_label, body, value) => {
    server.respond(() => ({ body }));
    expect((await runScorer(Safety, happy(), {}, env)).value).toBe(value);
  });

  it.each([
    ["prose instead of JSON", completion("I think the answer is fine."), /not valid JSON; not guessing a value/],
    ["a value outside yes/no", answer("maybe"), /outside the domain \(one of "yes", "no"\); not guessing/],
    ["a boolean instead of yes/no", answer(true), /outside the domain/],
    ["JSON without result", completion('{"verdict": "yes"}'), /no "result" field; not guessing/],
    ["no message content", completion(null), /no message content; not guessing/],
    ["a refusal", completion(null, { refusal: "I can't evaluate this." }), /refused to answer/],
    ["a 200 that is not JSON", "<html>proxy error</html>", /body that is not JSON/],
  ])("fails permanently on %s", async (_label, body, message) => {
    server.respond(() => ({ body }));
    const err = await failure(runScorer(Safety, happy(), {}, env));
    expect(err).toBeInstanceOf(ScorerError);
    expect(err.kind).toBe("permanent");
    expect(err.message).toMatch(message);
  });

  it.each([
    [429, { error: { message: "Rate limit reached for gpt-4o-mini", type: "requests", code: "rate_limit_exceeded" } }, "transient"],
    [429, { error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } }, "account"],
    [401, { error: { message: "Incorrect API key provided", code: "invalid_api_key" } }, "account"],
    [402, { error: { message: "Payment required" } }, "account"],
    [403, { error: { message: "Country not supported" } }, "account"],
    [400, { error: { message: "Invalid schema for response_format" } }, "permanent"],
    [404, { error: { message: "The model does not exist" } }, "permanent"],
    [500, { error: { message: "Internal server error" } }, "transient"],
    [503, "upstream unavailable", "transient"],
  ] as const)("classifies HTTP %i as %s (body %j)", async (status, body, kind) => {
    server.respond(() => ({ status, body, headers: { "retry-after": "7" } }));
    const err = await failure(runScorer(Safety, happy(), {}, env));
    expect(err.kind).toBe(kind);
    expect(err.httpStatus).toBe(status);
    expect(err.retryAfterMs).toBe(7000);
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it("treats a judge slower than timeoutMs as transient", async () => {
    server.respond(() => ({ body: answer("yes"), delayMs: 1500 }));
    env.judge!.timeoutMs = 100;
    const err = await failure(runScorer(Safety, happy(), {}, env));
    expect(err.kind).toBe("transient");
    expect(err.message).toMatch(/did not answer within 100 ms/);
  });

  it("treats a refused connection as transient", async () => {
    const other = await startFakeJudgeServer();
    const deadUrl = other.baseUrl;
    await other.close();
    env.judge!.baseUrl = deadUrl;
    const err = await failure(runScorer(Safety, happy(), {}, env));
    expect(err.kind).toBe("transient");
    expect(err.message).toMatch(/could not be reached/);
  });

  it("pauses (account) when no judge is configured, without any request", async () => {
    const err = await failure(runScorer(Safety, happy(), {}, { fetch }));
    expect(err.kind).toBe("account");
    expect(server.requests).toHaveLength(0);
  });

  it("uses the model from the scorer's params, MLflow URI style", async () => {
    server.respond(() => ({ body: answer("yes") }));
    await runScorer(Safety, happy(), { model: "openai:/gpt-4o" }, env);
    await runScorer(Safety, happy(), { model: null }, env);
    expect(server.requests.map((r) => r.body.model)).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });
});

describe("built-in judges", () => {
  beforeEach(() => server.respond(() => ({ body: answer("yes", "ok") })));
  const prompt = () =>
    server.requests
      .at(-1)!
      .body.messages.map((m) => m.content)
      .join("\n");

  it("RelevanceToQuery sends the user's question and the answer", async () => {
    await runScorer(RelevanceToQuery, happy(), {}, env);
    expect(prompt()).toContain("can I get a refund for order #A1234");
    expect(prompt()).toContain("started the refund");
  });

  it("Guidelines lists every guideline", async () => {
    await runScorer(Guidelines, happy(), { guidelines: ["Be polite.", "Never promise a refund date."] }, env);
    expect(prompt()).toMatch(/1\. Be polite\.\n2\. Never promise a refund date\./);
    await runScorer(Guidelines, happy(), { guidelines: "Answer in English." }, env);
    expect(prompt()).toContain("1. Answer in English.");
  });

  it("Guidelines needs guidelines", async () => {
    const err = await failure(runScorer(Guidelines, happy(), {}, env));
    expect(err.kind).toBe("permanent");
    expect(err.message).toMatch(/Invalid parameters for Guidelines: guidelines/);
  });

  it("Correctness uses expected_facts or expected_response from the trace", async () => {
    await runScorer(Correctness, inputFromTrace(supportTrace({ expectations: { expected_facts: ["30-day window", "5-7 business days"] } })), {}, env);
    expect(prompt()).toMatch(/<expected_facts>\n- 30-day window\n- 5-7 business days/);
    await runScorer(Correctness, inputFromTrace(supportTrace({ expectations: { expected_response: "Refund started." } })), {}, env);
    expect(prompt()).toMatch(/<expected_response>\nRefund started\./);
  });

  it("Correctness without expectations fails permanently and calls no judge", async () => {
    const err = await failure(runScorer(Correctness, happy(), {}, env));
    expect(err.kind).toBe("permanent");
    expect(err.message).toMatch(/expected_response or expected_facts/);
    expect(server.requests).toHaveLength(0);
  });

  it("RetrievalGroundedness puts the retrieved documents in the prompt", async () => {
    await runScorer(RetrievalGroundedness, happy(), {}, env);
    expect(prompt()).toMatch(/\[1\] Refunds: orders can be refunded within 30 days/);
    expect(prompt()).toMatch(/\[2\] Shipping: standard shipping/);
  });

  it("RetrievalGroundedness without a RETRIEVER span fails permanently", async () => {
    const err = await failure(runScorer(RetrievalGroundedness, inputFromTrace(fixtures.noRetriever()), {}, env));
    expect(err).toMatchObject({ kind: "permanent" });
    expect(err.message).toMatch(/needs a RETRIEVER span/);
  });
});
