import { describe, expect, it } from "vitest";
import { ScorerError } from "../errors";
import { fixtures, supportTrace } from "../fixtures/support-agent";
import { builtinScorers } from "../registry";
import { runScorer } from "../run";
import { inputFromTrace } from "../trace";
import type { TraceData } from "@/lib/mlflow/types";

const env = { fetch: (() => Promise.reject(new Error("code scorers must not call fetch"))) as typeof fetch };

async function score(cls: string, params: unknown, trace: TraceData) {
  return runScorer(builtinScorers[cls]!, inputFromTrace(trace), params, env);
}

type Row = [name: string, cls: string, params: unknown, trace: () => TraceData, value: unknown, rationale: RegExp];

const rows: Row[] = [
  // ResponseLength: the happy answer is 267 characters long.
  ["length within bounds", "ResponseLength", { min: 50, max: 500 }, fixtures.happy, "yes", /is 267 characters long \(allowed 50–500\)/],
  ["length over max", "ResponseLength", { max: 100 }, fixtures.happy, "no", /267 characters.*longer than the maximum/],
  ["refusal under min", "ResponseLength", { min: 80 }, fixtures.refusal, "no", /46 characters.*shorter than the minimum/],
  ["length of messages-shaped answer", "ResponseLength", { max: 50 }, fixtures.messagesAnswer, "yes", /44 characters/],
  // RegexMatch
  ["regex on answer matches", "RegexMatch", { pattern: "refund window", flags: "i" }, fixtures.happy, "yes", /outputs match/],
  ["regex must not match but does", "RegexMatch", { pattern: "\\bsorry\\b", flags: "i", must_match: false }, fixtures.refusal, "no", /must not match/],
  ["regex on inputs", "RegexMatch", { pattern: "#A\\d{4}", target: "inputs" }, fixtures.happy, "yes", /inputs match/],
  ["regex on answer misses", "RegexMatch", { pattern: "^\\d+$" }, fixtures.happy, "no", /do not match/],
  // KeywordAbsent
  ["keywords absent", "KeywordAbsent", { keywords: ["lawsuit", "guarantee"] }, fixtures.happy, "yes", /None of the 2 keyword/],
  ["keyword present, case-insensitive", "KeywordAbsent", { keywords: ["REFUND", "lawsuit"] }, fixtures.happy, "no", /forbidden keyword\(s\): "REFUND"/],
  ["whole word does not match inside a word", "KeywordAbsent", { keywords: ["fund"], whole_word: true }, fixtures.happy, "yes", /None/],
  ["substring matches without whole_word", "KeywordAbsent", { keywords: ["fund"] }, fixtures.happy, "no", /"fund"/],
  ["keyword in the user's request", "KeywordAbsent", { keywords: ["lock"], whole_word: true, target: "inputs" }, fixtures.refusal, "no", /inputs contain/],
  // JsonValid
  ["JSON string answer", "JsonValid", {}, fixtures.jsonAnswer, "yes", /parses as JSON/],
  ["fenced JSON is not JSON", "JsonValid", {}, fixtures.fencedJsonAnswer, "no", /not valid JSON/],
  ["prose chat answer", "JsonValid", {}, fixtures.happy, "no", /not valid JSON/],
  ["structured outputs", "JsonValid", {}, fixtures.structuredAnswer, "yes", /structured data/],
  ["crashed trace has no outputs", "JsonValid", {}, fixtures.crashed, "no", /no outputs/],
  // PIILeak
  ["no PII in a normal answer", "PIILeak", {}, fixtures.happy, "yes", /No email addresses/],
  ["PII answer", "PIILeak", {}, fixtures.piiAnswer, "no", /1 email address, 1 phone number, 1 credit card number/],
  // LatencyBudget
  ["within budget", "LatencyBudget", { max_ms: 2000 }, fixtures.happy, "yes", /took 1840 ms against a budget of 2000 ms/],
  ["over budget", "LatencyBudget", { max_ms: 5000 }, fixtures.slow, "no", /12400 ms.*7400 ms over/],
  // ToolCallErrors
  ["tools all fine", "ToolCallErrors", {}, fixtures.happy, "yes", /All 2 tool call\(s\) succeeded/],
  ["a tool failed", "ToolCallErrors", {}, fixtures.toolFailure, "no", /1 of 2 tool call\(s\) failed: issue_refund \(PaymentGatewayError/],
  // TraceError
  ["healthy trace", "TraceError", {}, fixtures.happy, "yes", /succeeded/],
  ["tool error inside an OK trace", "TraceError", {}, fixtures.toolFailure, "no", /1 span\(s\) failed: issue_refund/],
  [
    "crashed trace",
    "TraceError",
    {},
    fixtures.crashed,
    "no",
    /^The trace state is ERROR; 2 span\(s\) failed: support_agent \(RateLimitError: Error code: 429\); issue_refund/,
  ],
];

describe("built-in code scorers on support-agent traces", () => {
  it.each(rows)("%s (%s)", async (_name, cls, params, trace, value, rationale) => {
    const r = await score(cls, params, trace());
    expect(r.value).toBe(value);
    expect(r.rationale).toMatch(rationale);
  });

  it("never echoes PII into the rationale or metadata", async () => {
    const r = await score("PIILeak", {}, fixtures.piiAnswer());
    const text = JSON.stringify(r);
    for (const secret of ["jane.doe", "example.com", "7946", "4111", "1111 1111"]) expect(text).not.toContain(secret);
    expect(r.metadata).toEqual({ pii_kinds: "email,phone,credit_card" });
  });

  it("reports the failing tool names in metadata", async () => {
    const r = await score("ToolCallErrors", {}, fixtures.toolFailure());
    expect(r.metadata).toEqual({ failed_tools: "issue_refund" });
  });

  it("says yes when a trace made no tool calls", async () => {
    const trace = supportTrace();
    trace.spans = trace.spans.filter((s) => s.span_type !== "TOOL");
    expect(await score("ToolCallErrors", {}, trace)).toMatchObject({ value: "yes", rationale: "The trace made no tool calls." });
  });

  it("reads latency from the proto duration or the root span when the derived field is missing", async () => {
    const a = fixtures.happy();
    a.info.execution_time_ms = null;
    expect((await score("LatencyBudget", { max_ms: 1000 }, a)).rationale).toMatch(/took 1840 ms/);
    a.info.execution_duration = undefined;
    expect((await score("LatencyBudget", { max_ms: 1000 }, a)).rationale).toMatch(/took 1840 ms/);
  });

  it("fails permanently when a trace has no execution time at all", async () => {
    const t = fixtures.happy();
    t.info.execution_time_ms = null;
    t.info.execution_duration = undefined;
    t.spans = t.spans.map((s) => ({ ...s, end_time_ns: null }));
    await expect(score("LatencyBudget", { max_ms: 1000 }, t)).rejects.toMatchObject({ kind: "permanent" });
  });

  it.each([
    ["ResponseLength", {}],
    ["ResponseLength", { min: 10, max: 5 }],
    ["RegexMatch", { pattern: "(" }],
    ["RegexMatch", { pattern: "a", flags: "g" }],
    ["KeywordAbsent", { keywords: [] }],
    ["LatencyBudget", { max_ms: -1 }],
  ])("rejects invalid params for %s %j as a permanent error", async (cls, params) => {
    const err = await score(cls, params, fixtures.happy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScorerError);
    expect(err).toMatchObject({ kind: "permanent" });
    expect((err as Error).message).toMatch(new RegExp(`Invalid parameters for ${cls}`));
  });
});
