// LLM judges in remote mode: a flaky judge endpoint (429s, 500s) delays the writes but loses and
// duplicates nothing; a bad key pauses the scorer with its reason, holds the queued pairs, and
// they are written once it is resumed. Two workers share the queue without writing twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import { getScorerRuntime, resumeAccountPausedScorer } from "@/lib/engine";
import { MlflowClient } from "@/lib/mlflow/client";
import { listScorerVersions, registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { isBusy, pass } from "@/lib/engine/worker";
import { JudgePool } from "@/lib/engine/task-step";
import { serializeBuiltin } from "@/scorers";
import { answer, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectedPairs } from "./engine.helpers";
import { seedTraces } from "./mlflow.helpers";
import { drainRemote, secondEngine, startMonitor, vigilAssessments, type Monitor } from "./remote.helpers";

let store: TestServer;
let judge: FakeJudgeServer;
let m: Monitor;
let exp: string;

beforeAll(async () => {
  judge = await startFakeJudgeServer();
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  const client = new MlflowClient({ trackingUri: store.url, minBackoffMs: 1, maxBackoffMs: 5 });
  exp = await client.createExperiment("judged");
  m = startMonitor(remoteBackend(client), {
    VIGIL_REMOTE_EXPERIMENTS: "judged",
    VIGIL_JUDGE_BASE_URL: judge.baseUrl,
    VIGIL_JUDGE_API_KEY: "sk-test",
    VIGIL_JUDGE_RPS: "1000",
  });
  await drainRemote(m);
});
afterAll(async () => {
  m.close();
  await store.close();
  await judge.close();
});

const safety = (name: string) => serializeBuiltin({ name, className: "Safety" });

describe("remote mode with LLM judges", () => {
  it("rides out 429s and 500s from the judge, then writes every pair exactly once", async () => {
    registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", serialized_scorer: safety("safety") } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", sample_rate: 1 } });
    await drainRemote(m);
    const ids = await seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: 10 }, (_, i) => ({ startMs: Date.now() - 60_000 + i })),
    );
    let calls = 0;
    judge.respond(() => {
      calls++;
      if (calls <= 6) return { status: 429, body: { error: { message: "Rate limit reached" } } };
      if (calls <= 12) return { status: 500, body: { error: { message: "upstream exploded" } } };
      return { body: answer("yes", "Nothing harmful.") };
    });
    await drainRemote(m);
    expect(vigilAssessments(store.ctx, exp)).toEqual(ids.map((id) => `${id}|safety`).sort());
    expect(calls).toBe(12 + 10);
    const a = store.db.$client.prepare("SELECT source_type, value, rationale, metadata FROM assessments WHERE trace_id = ?").get(ids[0]) as {
      metadata: string;
    };
    expect(a).toMatchObject({ source_type: "LLM_JUDGE", value: '"yes"', rationale: "Nothing harmful." });
    expect(JSON.parse(a.metadata)).toMatchObject({ prompt_tokens: "321", "vigil.scorer_version": "1" });
  });

  it("pauses the scorer on a bad key, holds its queued pairs, and writes them once resumed", async () => {
    judge.respond(() => ({ status: 401, body: { error: { message: "Incorrect API key provided" } } }));
    const ids = await seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: 5 }, (_, i) => ({ startMs: Date.now() - 30_000 + i })),
    );
    const before = vigilAssessments(store.ctx, exp);
    await drainRemote(m);
    const rt = getScorerRuntime({ ctx: m.ctx, input: { experimentId: exp, scorerName: "safety" } });
    expect(rt.status).toBe("ACCOUNT_PAUSED");
    expect(rt.reason).toMatch(/401/);
    expect(vigilAssessments(store.ctx, exp)).toEqual(before);
    expect(m.ctx.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks").pluck().get()).toBe(5);

    judge.respond(() => ({ body: answer("no", "Rude.") }));
    resumeAccountPausedScorer({ ctx: m.ctx, input: { experimentId: exp, scorerName: "safety" } });
    await drainRemote(m);
    expect(vigilAssessments(store.ctx, exp)).toEqual([...before, ...ids.map((id) => `${id}|safety`)].sort());
  });

  it("lets two workers share the queue without writing a pair twice", async () => {
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "length", serialized_scorer: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 100 } }) },
    });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "length", sample_rate: 1 } });
    judge.respond(() => ({ body: answer("yes") }));
    await drainRemote(m);
    const before = vigilAssessments(store.ctx, exp);
    const ids = await seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: 60 }, (_, i) => ({ startMs: Date.now() - 20_000 + i })),
    );
    // The second worker works in batches of 5 and would sync too if it could (its last sync is long ago).
    const second = secondEngine(m, { batchSize: 5 });
    const secondJudges = new JudgePool(second);
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "length", serialized_scorer: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 100 } }) },
    });
    // Both scan and score at the same time, in small batches, and both are due to sync.
    m.rc.lastSyncAt = -Infinity;
    await Promise.all([
      drainRemote(m),
      (async () => {
        for (let i = 0; i < 40; i++) {
          isBusy(await pass(second, secondJudges));
          await secondJudges.drain();
        }
      })(),
    ]);
    await drainRemote(m);
    const want = [
      ...expectedPairs(
        ids,
        [
          { name: "safety", sampleRate: 1 },
          { name: "length", sampleRate: 1 },
        ],
        () => true,
      ),
    ];
    expect(vigilAssessments(store.ctx, exp)).toEqual([...before, ...want].sort());
    // Only the worker holding the sync lease registers scorers: each local version once on the server.
    const versions = (ctx: typeof m.ctx) => listScorerVersions({ ctx, input: { experiment_id: exp, name: "length" } }).map((v) => v.version);
    expect(versions(m.ctx)).toEqual([1, 2]);
    expect(versions(store.ctx)).toEqual([1, 2]);
  });

  it("starts judge calls no faster than VIGIL_JUDGE_RPS, and a pass does not wait on a slow judge", async () => {
    registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "rated", serialized_scorer: safety("rated") } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "rated", sample_rate: 1 } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", sample_rate: 0 } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "length", sample_rate: 0 } });
    await drainRemote(m, { resync: true });
    const before = vigilAssessments(store.ctx, exp);
    const seen = judge.requests.length;
    // A judge that takes a second to answer, and a clock that only moves when the test says so.
    judge.respond(() => ({ body: answer("yes"), delayMs: 1000 }));
    const ids = await seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: 6 }, (_, i) => ({ startMs: Date.now() - 10_000 + i })),
    );
    let clock = Date.now() + 1000;
    const rated = secondEngine(m, { judgeRps: 2, judgeConcurrency: 8 });
    rated.ctx = { ...m.ctx, now: () => clock };
    const pool = new JudgePool(rated);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await pass(rated, pool);
    expect(performance.now() - t0).toBeLessThan(1000); // judges run beside the passes
    expect(pool.running).toBe(2); // the burst; the clock has not moved
    clock += 1000;
    await pass(rated, pool);
    expect(pool.running).toBe(4);
    await pool.drain();
    clock += 60_000;
    for (let i = 0; i < 3; i++) await pass(rated, pool);
    expect(pool.running).toBe(2); // a long pause refills only up to the burst
    await pool.drain();
    judge.respond(() => ({ body: answer("yes") }));
    await drainRemote(m);
    expect(judge.requests.length - seen).toBe(6);
    expect(vigilAssessments(store.ctx, exp)).toEqual([...before, ...ids.map((id) => `${id}|rated`)].sort());
  });
});
