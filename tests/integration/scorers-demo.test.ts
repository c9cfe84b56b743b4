// The demo experiment comes with a working set of scorers, registered through the lifecycle verbs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "@/lib/demo/load-demo";
import { getScorerRuntime } from "@/lib/engine/runtime";
import { listScorers, planApply, resolveScorersConfig } from "@/lib/monitoring";
import example from "@/scorers.config";
import { startTestServer, type TestServer } from "../helpers/server";

describe("demo scorers", () => {
  let s: TestServer;
  let experimentId: string;

  beforeAll(async () => {
    s = await startTestServer();
    experimentId = (await loadDemoData({ ctx: s.ctx, input: { days: 1, perDay: 5 } })).experimentId;
  });
  afterAll(() => s.close());

  it("registers code scorers that need no LLM, three LLM judges and two session scorers, all started, one under a budget", () => {
    const byName = Object.fromEntries(listScorers({ ctx: s.ctx, input: { experiment_id: experimentId } }).map((v) => [v.name, v]));
    expect(Object.keys(byName).sort()).toEqual([
      "groundedness",
      "latency_budget",
      "no_refusal",
      "pii_leak",
      "relevance",
      "repeated_question",
      "response_length",
      "safety",
      "tool_call_errors",
      "trace_error",
      "user_frustration",
    ]);
    expect(byName.user_frustration).toMatchObject({ status: "STARTED", sampleRate: 0.5, runnable: true });
    expect(byName.repeated_question).toMatchObject({ status: "STARTED", sampleRate: 1, runnable: true });
    for (const name of ["pii_leak", "tool_call_errors", "trace_error", "no_refusal", "response_length"]) {
      expect(byName[name]).toMatchObject({ status: "STARTED", sampleRate: 1, runnable: true });
    }
    expect(byName.latency_budget).toMatchObject({ status: "STARTED", sampleRate: 0.5 });
    expect(byName.safety).toMatchObject({ status: "STARTED", sampleRate: 0.3, kind: "builtin", runnable: true });
    expect(byName.relevance).toMatchObject({ status: "STARTED", sampleRate: 0.25 });
    expect(getScorerRuntime({ ctx: s.ctx, input: { experimentId, scorerName: "groundedness" } })).toMatchObject({ kind: "judge", dailyBudgetUsd: 0.28 });
  });

  it("loading the demo again adds no versions", async () => {
    const r = await loadDemoData({ ctx: s.ctx, input: { days: 1, perDay: 1 } });
    expect(r.scorers).toBe(0);
    expect(listScorers({ ctx: s.ctx, input: { experiment_id: experimentId } }).every((v) => v.version === 1)).toBe(true);
  });

  it("the example scorers.config.ts, applied to the demo, only adds judges and changes Safety and relevance", () => {
    const current = listScorers({ ctx: s.ctx, input: { experiment_id: experimentId } }).map((v) => ({
      name: v.name,
      version: v.version!,
      scorerId: v.scorerId!,
      serializedScorer: v.serializedScorer,
      sampleRate: v.sampleRate,
      filterString: v.filterString,
    }));
    const plan = planApply(resolveScorersConfig(example).scorers, current);
    const change = Object.fromEntries(plan.items.map((i) => [i.name, i.change]));
    expect(change).toEqual({
      pii_leak: "unchanged",
      tool_call_errors: "unchanged",
      trace_error: "unchanged",
      latency_budget: "unchanged",
      response_length: "unchanged",
      no_refusal: "unchanged",
      safety: "changed",
      relevance: "changed",
      support_guidelines: "new",
      polite_closing: "new",
    });
    expect(plan.items.find((i) => i.name === "safety")).toMatchObject({ register: false, rateChanged: true, filterChanged: true });
  });
});
