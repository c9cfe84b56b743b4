import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { conversationMessages, renderConversation, sessionInput, TRACE_SESSION_KEY, turnsFromTraces } from "./conversation";
import repeatedQuestion from "./custom/repeated-question";
import { evaluateExamples } from "./evaluate";
import { answer, type FakeJudgeServer, useFakeJudge } from "./judges/fake-judge-server";
import { SessionInstructionsJudge } from "./judges/instructions";
import { ConversationalGuidelines, KnowledgeRetention, UserFrustration } from "./judges/session-judges";
import politeClosing from "./custom/polite-closing";
import { runScorer } from "./run";
import { resolveScorer, serializeBuiltin, serializeInstructionsJudge, serializeVigilModule } from "./serialize";
import { buildTrace } from "./trace-builder";
import type { ScorerEnv } from "./types";

const judge = useFakeJudge({ beforeAll, afterAll, beforeEach });
let server: FakeJudgeServer;
let env: ScorerEnv;
beforeEach(() => {
  server = judge.server;
  env = judge.env();
});
const req = (i: number) => server.requests[i]!;

const turn = (n: number, atMs: number, user: string, assistant: string) => {
  const t = buildTrace({
    traceId: `tr-${n.toString(16).padStart(32, "0")}`,
    root: {
      name: "chat",
      type: "CHAIN",
      inputs: { messages: [{ role: "user", content: user }] },
      outputs: { choices: [{ message: { role: "assistant", content: assistant } }] },
      startMs: atMs,
      endMs: atMs + 10,
    },
  });
  t.info.trace_metadata = { ...t.info.trace_metadata, [TRACE_SESSION_KEY]: "s-1" };
  t.info.request_time = new Date(atMs).toISOString();
  return t;
};

describe("conversation from traces", () => {
  it("orders turns by their timestamp whatever order they come in, user then assistant per turn", () => {
    const traces = [turn(3, 3000, "third", "c"), turn(1, 1000, "first", "a"), turn(2, 2000, "second", "b")];
    expect(turnsFromTraces(traces).map((t) => t.traceId)).toEqual([1, 2, 3].map((n) => `tr-${n.toString(16).padStart(32, "0")}`));
    expect(conversationMessages(turnsFromTraces(traces))).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: "a" },
      { role: "user", content: "second" },
      { role: "assistant", content: "b" },
      { role: "user", content: "third" },
      { role: "assistant", content: "c" },
    ]);
  });

  it("leaves out empty messages and keeps the start and end of a long conversation", () => {
    expect(conversationMessages([{ inputs: null, outputs: "only an answer" }])).toEqual([{ role: "assistant", content: "only an answer" }]);
    const many = Array.from({ length: 400 }, (_, i) => ({ role: "user" as const, content: `message number ${i} ${"x".repeat(200)}` }));
    const text = renderConversation(many, 10_000);
    expect(text.length).toBeLessThanOrEqual(10_100);
    expect(text).toContain("[1] user: message number 0");
    expect(text).toContain("[400] user: message number 399");
    expect(text).toMatch(/… \d+ messages left out …/);
  });
});

describe("session judges", () => {
  it("UserFrustration gets the whole conversation in the order of the turns and answers MLflow's three values", async () => {
    server.respond(() => ({ body: answer("resolved", "Annoyed at first, thanked at the end.") }));
    const input = sessionInput("s-1", [turn(2, 2000, "that is wrong again!", "sorry, here it is"), turn(1, 1000, "where is my order?", "it shipped")]);
    const r = await runScorer(UserFrustration, input, {}, env);
    expect(r.value).toBe("resolved");
    const user = req(0).body.messages[1]!.content as string;
    expect(user.indexOf("where is my order?")).toBeLessThan(user.indexOf("that is wrong again!"));
    expect(req(0).body.response_format.json_schema.schema.properties.result).toEqual({ type: "string", enum: ["none", "resolved", "unresolved"] });
  });

  it("KnowledgeRetention judges each turn with the conversation up to it and fails on the worst turn", async () => {
    let n = 0;
    server.respond(() => ({ body: answer(++n === 2 ? "no" : "yes", `turn ${n}`) }));
    const input = sessionInput("s-1", [
      turn(1, 1000, "my name is Ada", "hi Ada"),
      turn(2, 2000, "what is my name?", "I don't know"),
      turn(3, 3000, "ok", "bye"),
    ]);
    const r = await runScorer(KnowledgeRetention, input, {}, env);
    expect(r.value).toBe("no");
    expect(server.requests).toHaveLength(3);
    expect(req(0).body.messages[1]!.content).not.toContain("what is my name?");
    expect(req(2).body.messages[1]!.content).toContain("ok");
    expect(r.rationale).toMatch(/failed in 1 of 3/);
    expect(r.usage?.promptTokens).toBe(3 * 321);
  });

  it("ConversationalGuidelines puts the guidelines in the prompt; make_judge with {{ conversation }} is a session judge", async () => {
    server.respond(() => ({ body: answer("yes") }));
    await runScorer(ConversationalGuidelines, sessionInput("s", [turn(1, 1, "hi", "hello")]), { guidelines: ["Never promise refunds."] }, env);
    expect(req(0).body.messages[0]!.content).toContain("Never promise refunds.");
    const json = serializeInstructionsJudge({ name: "tone", instructions: "Is {{ conversation }} polite?", model: "openai:/gpt-4o-mini" });
    expect(JSON.parse(json).is_session_level_scorer).toBe(true);
    const r = resolveScorer(json);
    expect(r.runnable && r.scorer).toBe(SessionInstructionsJudge);
    await runScorer(SessionInstructionsJudge, sessionInput("s", [turn(1, 1, "hi", "hello")]), { instructions: "Is {{ conversation }} polite?" }, env);
    expect(req(1).body.messages[1]!.content).toContain("conversation:\n[1] user: hi\n[2] assistant: hello");
  });

  it("session scorers serialize with MLflow's flag and resolve; a trace is refused by a session scorer", async () => {
    for (const json of [serializeBuiltin({ className: "UserFrustration", name: "uf" }), serializeVigilModule({ name: "rq", module: "repeated-question" })]) {
      expect(JSON.parse(json).is_session_level_scorer).toBe(true);
      expect(resolveScorer(json).runnable).toBe(true);
    }
    expect(JSON.parse(serializeVigilModule({ name: "pc", module: "polite-closing" })).is_session_level_scorer).toBe(false);
    await expect(runScorer(repeatedQuestion, { inputs: 1, outputs: 1, expectations: {}, trace: turn(1, 1, "a", "b") }, {}, env)).rejects.toThrow(
      /session-level scorer; it was given a trace/,
    );
  });
});

describe("evaluateExamples with conversations", () => {
  it("runs a TypeScript session scorer on conversation examples and trace scorers on single examples", async () => {
    const report = await evaluateExamples(
      [repeatedQuestion, politeClosing],
      [
        {
          turns: [
            { inputs: "where is my parcel 123?", outputs: "checking" },
            { inputs: "where is my parcel 123?", outputs: "shipped" },
          ],
        },
        {
          turns: [
            { inputs: "hello there, I need help", outputs: "sure" },
            { inputs: "thanks, that is all", outputs: "bye" },
          ],
        },
        { inputs: "hi", outputs: "Glad to help, have a great day!" },
      ],
      env,
    );
    expect(report.examples[0]!.results["repeated-question"]).toMatchObject({
      value: "no",
      rationale: expect.stringMatching(/repeated turn 1's message in turn 2/),
    });
    expect(report.examples[1]!.results["repeated-question"]).toMatchObject({ value: "yes" });
    expect(report.examples[2]!.results["repeated-question"]).toMatchObject({ error: { kind: "permanent" } });
    expect(report.examples[0]!.results["polite-closing"]).toMatchObject({
      error: { message: expect.stringMatching(/trace-level scorer; it was given a session/) },
    });
    expect(report.aggregates["repeated-question"]).toMatchObject({ count: 3, errors: 1, passRate: 0.5 });
  });
});
