// LLM judges against a local OpenAI-compatible endpoint that misbehaves on cue.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { getScorerFunnel, getScorerRuntime, resumeAccountPausedScorer, setScorerBudget } from "@/lib/engine";
import { ERROR_CODES } from "@/lib/engine/retry-policy";
import { getScorerCost, projectDailyCost } from "@/lib/read";
import type { EngineEvent } from "@/lib/engine/engine-context";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeBuiltin } from "@/scorers";
import { answer, completion, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, drain, engine, newExperiment, seedTraces, storedPairs, type Engine, judgeCallsAtRate2 } from "./engine.helpers";

const T0 = Date.UTC(2026, 0, 5, 9);
let db: Db;
let ctx: Ctx;
let judge: FakeJudgeServer;
let cleanup: () => void;
let now = Date.UTC(2026, 0, 6, 12);
const clock = () => now;

beforeAll(async () => {
  judge = await startFakeJudgeServer();
  const tmp = tempDbPath("vigil-judges-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  const config = parseConfig({
    DATABASE_URL: tmp.file,
    VIGIL_DEMO: "0",
    VIGIL_JUDGE_BASE_URL: judge.baseUrl,
    VIGIL_JUDGE_API_KEY: "sk-test",
    VIGIL_JUDGE_PRICES: JSON.stringify({ "judge-model": { input: 1, output: 1 } }),
  });
  ctx = testCtx(db, config, { now: clock });
});
afterAll(async () => {
  await judge.close();
  db.$client.close();
  cleanup();
});
afterEach(() => {
  judge.requests.length = 0;
});

const safety = (name: string) => serializeBuiltin({ name, className: "Safety" });
// What the engine said as it worked (the worker logs each as one line).
const events: EngineEvent[] = [];
const eventsOf = (name: EngineEvent["name"], exp: number) =>
  events.filter((ev) => ev.name === name && "experiment_id" in ev.fields && ev.fields.experiment_id === String(exp));
const fast = (): Engine => engine(ctx, { judgeRps: 1000, judgeConcurrency: 4, event: (ev) => events.push(ev) });
const tasksOf = (exp: number) => (db.$client.prepare("SELECT COUNT(*) AS n FROM engine_tasks WHERE experiment_id = ?").get(exp) as { n: number }).n;

/** Drains, moving the clock past every stored retry time, until the queue is empty. */
async function settle(en: Engine, exp: number, rounds = 30): Promise<void> {
  for (let r = 0; r < rounds && (r === 0 || tasksOf(exp) > 0); r++) {
    await drain(en);
    now += 15 * 60 * 1000;
  }
}

describe("LLM judges", () => {
  it("rides out 429s and 500s, then scores every trace exactly once, with tokens and cost", async () => {
    const exp = newExperiment(ctx, "flaky-judge");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    const ids = await seedTraces(
      ctx,
      exp,
      "flaky",
      Array.from({ length: 12 }, (_, i) => ({ startMs: T0 + i })),
    );
    let calls = 0;
    judge.respond(() => {
      calls++;
      if (calls <= 10) return { status: 429, body: { error: { message: "Rate limit reached", type: "requests" } }, headers: { "retry-after": "1" } };
      if (calls <= 20) return { status: 500, body: { error: { message: "upstream exploded" } } };
      return { body: answer("yes", "Nothing harmful.") };
    });
    await settle(fast(), exp);
    expect(tasksOf(exp)).toBe(0);
    const got = storedPairs(ctx, exp);
    expect(got.sort()).toEqual(ids.map((id) => `${id}|safety`).sort());
    expect(calls).toBe(20 + 12);
    const a = db.$client.prepare("SELECT * FROM assessments WHERE experiment_id = ? LIMIT 1").get(exp) as { metadata: string };
    expect(a).toMatchObject({ source_type: "LLM_JUDGE", source_id: "safety", value: '"yes"', rationale: "Nothing harmful." });
    expect(JSON.parse(a.metadata)).toMatchObject({
      judge_model: "judge-model-2026-01-01",
      prompt_tokens: "321",
      completion_tokens: "42",
      cost_usd: "0.00036300",
      "mlflow.assessment.judgeCost": "0.00036300",
    });
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "safety", start: T0 - 3_600_000, end: T0 + 3_600_000 } });
    expect(f).toMatchObject({ sampled: 12, scored: 12, failed: 0, retried: 20, retriedByReason: { rate_limited: 10, server_error: 10 } });
    expect(getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "safety" } }).today).toMatchObject({
      calls: 12,
      promptTokens: 12 * 321,
      completionTokens: 12 * 42,
    });
    expect(judge.requests[0]!.headers.authorization).toBe("Bearer sk-test");
    // The scorer page's cost panel: the day's spend, the average call, and the traffic to project a rate on.
    const cost = getScorerCost(ctx, exp, "safety");
    expect(cost.days).toEqual([
      { day: "2026-01-06", calls: 12, promptTokens: 12 * 321, completionTokens: 12 * 42, costUsd: expect.closeTo(12 * 0.000363, 9), unpricedCalls: 0 },
    ]);
    expect(cost).toMatchObject({ calls: 12, tokensPerCall: { prompt: 321, completion: 42 }, costPerCall: expect.closeTo(0.000363, 9) });
    expect(cost.matchedOverDays).toBeGreaterThanOrEqual(1);
    expect(cost.matchedPerDay).toBeCloseTo(12 / cost.matchedOverDays);
    expect(projectDailyCost(cost, 0.5).usdPerDay).toBeCloseTo((12 / cost.matchedOverDays) * 0.5 * 0.000363, 9);
  });

  it("records an unparseable answer as an error assessment, without retrying", async () => {
    const exp = newExperiment(ctx, "garbled-judge");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    const id = (await seedTraces(ctx, exp, "garbled", [{ startMs: T0 }]))[0]!;
    judge.respond(() => ({ body: completion("I think it is probably fine?") }));
    await settle(fast(), exp);
    const a = db.$client.prepare("SELECT value, error FROM assessments WHERE trace_id = ?").get(id) as { value: string | null; error: string };
    expect(a.value).toBeNull();
    expect(JSON.parse(a.error)).toMatchObject({ error_code: ERROR_CODES.permanent, error_message: expect.any(String) });
    expect(judge.requests).toHaveLength(1);
  });

  it("pauses the scorer on 401 with the reason, holds its work, and resumes it when told", async () => {
    const exp = newExperiment(ctx, "bad-key");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    const ids = await seedTraces(
      ctx,
      exp,
      "badkey",
      Array.from({ length: 6 }, (_, i) => ({ startMs: T0 + i })),
    );
    judge.respond(() => ({ status: 401, body: { error: { message: "Incorrect API key provided" } } }));
    await settle(fast(), exp, 3);
    const paused = getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "safety" } });
    expect(paused.status).toBe("ACCOUNT_PAUSED");
    expect(paused.reason).toMatch(/HTTP 401: Incorrect API key provided/);
    expect(paused.pending.online).toBe(6);
    expect(storedPairs(ctx, exp)).toEqual([]);
    const attempts = judge.requests.length;
    expect(attempts).toBeLessThanOrEqual(4); // the calls in flight when the first 401 came back
    const audit = db.$client.prepare("SELECT actor, action FROM audit_log WHERE entity_type = 'scorer' AND action = 'scorer.account_pause'").all();
    expect(audit).toEqual([{ actor: "system:worker", action: "scorer.account_pause" }]);
    expect(eventsOf("scorer.auto_paused", exp)).toEqual([
      {
        name: "scorer.auto_paused",
        fields: { experiment_id: String(exp), scorer: "safety", reason: expect.stringMatching(/HTTP 401: Incorrect API key provided/) },
      },
    ]);

    // While paused it samples nothing new and calls nobody.
    const later = await seedTraces(ctx, exp, "badkey-later", [{ startMs: T0 + 100 }]);
    await settle(fast(), exp, 2);
    expect(judge.requests.length).toBe(attempts);
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "safety", start: T0 - 3_600_000, end: T0 + 3_600_000 } });
    expect(f.skippedByReason).toEqual({ account_paused: 1 });

    judge.respond(() => ({ body: answer("yes") }));
    expect(resumeAccountPausedScorer({ ctx, input: { experimentId: exp, scorerName: "safety" } }).status).toBe("RUNNING");
    await settle(fast(), exp);
    expect(storedPairs(ctx, exp).sort()).toEqual(ids.map((id) => `${id}|safety`).sort());
    expect(later).toHaveLength(1);
  });

  it("stops a scorer whose daily budget is spent until the next UTC day, and says so", async () => {
    const exp = newExperiment(ctx, "budget");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    // Each call costs 363 tokens at $1 per million: $0.000363. Three calls spend $0.001089.
    setScorerBudget({ ctx, input: { experimentId: exp, scorerName: "safety", dailyBudgetUsd: 0.001 } });
    judge.respond(() => ({ body: answer("yes") }));
    await seedTraces(
      ctx,
      exp,
      "budget",
      Array.from({ length: 8 }, (_, i) => ({ startMs: T0 + i })),
    );
    const en = engine(ctx, { judgeRps: 1000, judgeConcurrency: 1, event: (ev) => events.push(ev) });
    await drain(en);
    expect(judge.requests).toHaveLength(3);
    const r = getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "safety" } });
    expect(r).toMatchObject({ status: "BUDGET_EXHAUSTED", pending: { online: 5 } });
    expect(r.reason).toMatch(/^Daily budget of \$0\.0010 spent \(\$0\.0011 today\); sampling resumes at \d{4}-\d\d-\d\dT00:00:00\.000Z\.$/);
    expect(r.today.costUsd).toBeCloseTo(3 * 0.000363, 9);

    await seedTraces(ctx, exp, "budget-later", [{ startMs: T0 + 50 }]);
    await drain(en);
    expect(judge.requests).toHaveLength(3);
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "safety", start: T0 - 3_600_000, end: T0 + 3_600_000 } });
    expect(f.skippedByReason).toEqual({ budget: 1 });
    // Said once for the day, however many passes it blocks.
    expect(eventsOf("scorer.budget_reached", exp)).toEqual([
      { name: "scorer.budget_reached", fields: { experiment_id: String(exp), scorer: "safety", budget_usd: 0.001, spent_usd: 0.0011 } },
    ]);

    now = r.budgetResetsAt!;
    await drain(en);
    expect(judge.requests).toHaveLength(6); // the next day's budget pays for three more
  });

  it("starts judge calls no faster than the request-rate limit", async () => {
    const exp = newExperiment(ctx, "rate");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    await seedTraces(
      ctx,
      exp,
      "rate",
      Array.from({ length: 10 }, (_, i) => ({ startMs: T0 + i })),
    );
    judge.respond(() => ({ body: answer("yes") }));
    // The burst; 2 more a second later; a long pause refills only up to the burst.
    expect(
      await judgeCallsAtRate2(
        ctx,
        () => judge.requests.length,
        (ms) => (now += ms),
      ),
    ).toEqual([2, 4, 6]);
  });

  it("aborts a judge call that hangs past the scorer timeout and retries it later", async () => {
    const exp = newExperiment(ctx, "hang");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: safety("safety") });
    const id = (await seedTraces(ctx, exp, "hang", [{ startMs: T0 }]))[0]!;
    judge.respond(() => ({ body: answer("yes"), delayMs: 5000 }));
    const en = fast();
    en.e.judge = { ...en.e.judge, timeoutMs: 100 };
    const t0 = performance.now();
    await drain(en);
    expect(performance.now() - t0).toBeLessThan(2000);
    const task = db.$client.prepare("SELECT attempts, last_error FROM engine_tasks WHERE trace_id = ?").get(id) as { attempts: number; last_error: string };
    expect(task).toEqual({ attempts: 1, last_error: "safety did not finish within 100 ms." });
    judge.respond(() => ({ body: answer("no") }));
    await settle(en, exp);
    expect((db.$client.prepare("SELECT value FROM assessments WHERE trace_id = ?").get(id) as { value: string }).value).toBe('"no"');
  });
});
