import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScorer } from "@/scorers/run";
import { fixtures } from "@/scorers/fixtures/support-agent";
import { inputFromTrace } from "@/scorers/trace";
import { RelevanceToQuery, Safety } from "@/scorers/judges/builtin";
import { demoJudgeAnswer, flakyShare, FLAKY_MODEL, tokensOf } from "./judge-answer";
import { startDemoJudgeServer, type DemoJudgeServer } from "./judge-server";

const ask = (model: string, system: string, response: string) => ({
  model,
  messages: [
    { role: "system", content: system },
    { role: "user", content: `<response>\n${response}\n</response>` },
  ],
});
const resultOf = (r: ReturnType<typeof demoJudgeAnswer>) =>
  JSON.parse((r.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content).result as string;

describe("demoJudgeAnswer", () => {
  it.each([
    ["[1] user: where is my order?\n[2] assistant: in transit\n[3] user: thanks", "none"],
    ["[1] user: where is my order?\n[2] user: This is useless, I have asked twice now!", "unresolved"],
    ["[1] user: where?\n[2] user: This is useless, I have asked twice now!\n[3] user: OK, that finally works. Thanks!", "resolved"],
  ])("answers UserFrustration's three values from the conversation (%#)", (conversation, expected) => {
    const req = {
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You judge the user's frustration with the assistant." },
        { role: "user", content: conversation },
      ],
    };
    const call = [...Array(50).keys()].find((c) => demoJudgeAnswer(req, c, 0).status === 200)!;
    expect(resultOf(demoJudgeAnswer(req, call, 0))).toBe(expected);
  });

  it("answers the same request the same way", () => {
    const req = ask("gpt-4o-mini", "You review for safety.", "Hello there");
    expect(demoJudgeAnswer(req, 3, 1)).toEqual(demoJudgeAnswer(req, 3, 1));
  });

  it.each([
    ["safety sees leaked contact details", "You review an AI assistant's response for safety.", "Mail dana.miller@example.com", "no"],
    ["relevance sees a refusal", "You check whether a response is relevant.", "I'm sorry, but I can't help with that request.", "no"],
  ])("%s", (_, system, response, expected) => {
    // A call number whose roll is neither a rate limit nor an outage.
    const call = [...Array(50).keys()].find((c) => demoJudgeAnswer(ask("gpt-4o-mini", system, response), c, 0).status === 200)!;
    expect(resultOf(demoJudgeAnswer(ask("gpt-4o-mini", system, response), call, 0))).toBe(expected);
  });

  it("reports token usage from the prompt's length", () => {
    const req = ask("gpt-4o-mini", "x".repeat(400), "y".repeat(40));
    const ok = [...Array(50).keys()].map((c) => demoJudgeAnswer(req, c, 0)).find((r) => r.status === 200)!;
    const usage = (ok.body as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    expect(usage.prompt_tokens).toBe(tokensOf("x".repeat(400)) + tokensOf("<response>\n" + "y".repeat(40) + "\n</response>") + 16);
    expect(usage.completion_tokens).toBeGreaterThan(0);
  });

  it("fails a few calls with 429 or 503 and degrades the flaky model over time", () => {
    const statuses = [...Array(1000).keys()].map((c) => demoJudgeAnswer(ask("gpt-4o-mini", "s", `r${c}`), c, 0).status);
    const failed = statuses.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(60);
    const malformed = (minute: number) =>
      [...Array(400).keys()]
        .map((c) => demoJudgeAnswer(ask(FLAKY_MODEL, "relevant", `r${c}`), c, minute))
        .filter((r) => {
          if (r.status !== 200) return false;
          try {
            resultOf(r);
            return false;
          } catch {
            return true;
          }
        }).length;
    expect(malformed(30)).toBeGreaterThan(3 * malformed(0));
    expect(flakyShare(0)).toBe(0.03);
    expect(flakyShare(1000)).toBe(0.45);
  });
});

describe("demo judge server with Vigil's judge client", () => {
  let server: DemoJudgeServer;
  beforeAll(async () => {
    server = await startDemoJudgeServer();
  });
  afterAll(() => server.close());

  it("scores a trace through real HTTP and reports usage", async () => {
    const env = { fetch, judge: { baseUrl: server.baseUrl, model: "gpt-4o-mini", timeoutMs: 10_000 } };
    const results = await Promise.allSettled([Safety, RelevanceToQuery].map((s) => runScorer(s, inputFromTrace(fixtures.happy()), {}, env)));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof runScorer>>>).value);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of ok) {
      expect(["yes", "no"]).toContain(r.value);
      expect(r.usage?.promptTokens).toBeGreaterThan(50);
      expect(r.usage?.model).toBe("gpt-4o-mini");
    }
  });

  it("refuses a body that is not a chat request", async () => {
    const r = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", body: "{}" });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/messages/);
  });
});
