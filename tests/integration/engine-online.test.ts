import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { completeQuietTraces, getScorerFunnel, getScorerRuntime } from "@/lib/engine";
import { ERROR_CODES } from "@/lib/engine/retry-policy";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, drain, engine, expectedPairs, newExperiment, seedTraces, storedPairs } from "./engine.helpers";

const T0 = Date.UTC(2026, 0, 5, 9);
let db: Db;
let ctx: Ctx;
let cleanup: () => void;

beforeAll(() => {
  const tmp = tempDbPath("vigil-engine-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" }));
});
afterAll(() => {
  db.$client.close();
  cleanup();
});

const scalar = <T>(sql: string, ...args: unknown[]) => Object.values(db.$client.prepare(sql).get(...args) as object)[0] as T;

describe("continuous scoring", () => {
  let exp: number;
  let ids: string[];
  const list = [
    { name: "length", sampleRate: 1, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 500 } }) },
    { name: "json", sampleRate: 0.4, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
    { name: "no_sorry", sampleRate: 0.25, serialized: serializeBuiltin({ name: "no_sorry", className: "KeywordAbsent", params: { keywords: ["sorry"] } }) },
    { name: "errors", sampleRate: 0.5, filterString: "trace.status = 'ERROR'", serialized: serializeBuiltin({ name: "errors", className: "TraceError" }) },
    { name: "tools", sampleRate: 0.7, filterString: "trace.status = 'ERROR'", serialized: serializeBuiltin({ name: "tools", className: "ToolCallErrors" }) },
  ];

  beforeAll(async () => {
    exp = newExperiment(ctx, "online");
    for (const s of list) addScorer(ctx, exp, s);
    ids = await seedTraces(
      ctx,
      exp,
      "online",
      Array.from({ length: 300 }, (_, i) => ({ startMs: T0 + i * 1000, error: i % 5 === 0 })),
    );
    // Evaluation-run traces are not monitored, as in MLflow.
    await seedTraces(
      ctx,
      exp,
      "eval",
      Array.from({ length: 20 }, (_, i) => ({ startMs: T0 + i, sourceRun: "run-123" })),
    );
    await drain(engine(ctx, { batchSize: 64 }));
  });

  it("stores exactly the pairs dense sampling selects (sampleTrace), once each, and nothing for evaluation traces", () => {
    const isError = new Set(ids.filter((_, i) => i % 5 === 0));
    const want = expectedPairs(ids, list, (id, f) => f === "trace.status = 'ERROR'" && isError.has(id));
    const got = storedPairs(ctx, exp);
    expect(got.length).toBe(new Set(got).size);
    expect(new Set(got)).toEqual(want);
    expect(want.size).toBeGreaterThan(300 + 100);
  });

  it("writes MLflow-shaped assessments with the scorer's provenance", () => {
    const a = db.$client.prepare("SELECT * FROM assessments WHERE experiment_id = ? AND name = 'length' LIMIT 1").get(exp) as Record<string, unknown>;
    expect(a).toMatchObject({ source_type: "CODE", source_id: "length", kind: "feedback", scorer_version: 1, run_id: null, error: null });
    expect(a.scorer_id).toMatch(/^sc-/);
    expect(JSON.parse(a.value as string)).toBe("yes");
    expect(a.rationale).toMatch(/characters long/);
    const md = JSON.parse(a.metadata as string) as Record<string, string>;
    expect(md).toMatchObject({ scorer_version: "1", attempts: "1", length: expect.any(String) });
    expect(Number(md.latency_ms)).toBeGreaterThanOrEqual(0);
  });

  it("empties the outbox and moves the checkpoint to the last trace taken", () => {
    expect(scalar<number>("SELECT COUNT(*) FROM engine_completions")).toBe(0);
    const cp = db.$client.prepare("SELECT trace_id, timestamp_ms FROM checkpoints WHERE experiment_id = ?").get(exp) as {
      trace_id: string;
      timestamp_ms: number;
    };
    // Traces complete in seeding order; the evaluation traces came last (taken, then left alone).
    const last = db.$client
      .prepare("SELECT trace_id, completed_at FROM traces WHERE experiment_id = ? ORDER BY completed_at DESC, rowid DESC LIMIT 1")
      .get(exp) as { trace_id: string; completed_at: number };
    expect(cp).toEqual({ trace_id: last.trace_id, timestamp_ms: last.completed_at });
  });

  it("counts the funnel: matched, sampled, scored, skipped by reason", () => {
    const all = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "json", start: T0 - 3_600_000, end: T0 + 86_400_000 } });
    const stored = storedPairs(ctx, exp).filter((p) => p.endsWith("|json")).length;
    expect(all).toMatchObject({ matched: 300, sampled: stored, scored: stored, failed: 0, pending: 0 });
    expect(all.skippedByReason).toEqual({ not_sampled: 300 - stored });
    const errs = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "errors", start: T0 - 3_600_000, end: T0 + 86_400_000 } });
    expect(errs.matched).toBe(60);
    expect(errs.skippedByReason.filtered_out).toBe(240);
    expect(all.buckets.map((b) => b.bucketMs)).toEqual([T0]); // 300 traces, one per second: one hour
  });

  it("never scores a trace twice, even if its completion is seen again", async () => {
    const before = storedPairs(ctx, exp).length;
    db.$client.prepare("INSERT INTO engine_completions (trace_id, experiment_id, completed_at) VALUES (?, ?, ?)").run(ids[1], exp, Date.now());
    await drain(engine(ctx));
    expect(storedPairs(ctx, exp).length).toBe(before);
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "length", start: T0 - 3_600_000, end: T0 + 86_400_000 } });
    expect(f.skippedByReason.already_scored).toBe(1);
  });

  it("reports the scorer's runtime: running, no backlog", () => {
    const r = getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "json" } });
    expect(r).toMatchObject({ status: "RUNNING", reason: null, kind: "code", version: 1, pending: { online: 0, jobs: 0, retrying: 0 } });
    expect(r.lag.backlogTraces).toBe(0);
  });
});

describe("scorers that may not run", () => {
  it("skips an operator-paused and a not-runnable scorer without changing the others' decisions", async () => {
    const exp = newExperiment(ctx, "paused");
    const list = [
      { name: "a_paused", sampleRate: 0.6, pausedReason: "too noisy", serialized: serializeBuiltin({ name: "a_paused", className: "JsonValid" }) },
      { name: "b_live", sampleRate: 0.4, serialized: serializeBuiltin({ name: "b_live", className: "ResponseLength", params: { max: 10_000 } }) },
      {
        name: "c_python",
        sampleRate: 0.2,
        serialized: JSON.stringify({ name: "c_python", call_source: "return 1", call_signature: "(outputs)", original_func_name: "f" }),
      },
    ];
    for (const s of list) addScorer(ctx, exp, s);
    const ids = await seedTraces(
      ctx,
      exp,
      "paused",
      Array.from({ length: 200 }, (_, i) => ({ startMs: T0 + i })),
    );
    await drain(engine(ctx));
    const want = [...expectedPairs(ids, list, () => true)];
    expect(new Set(storedPairs(ctx, exp))).toEqual(new Set(want.filter((p) => p.endsWith("|b_live"))));
    const range = { start: T0 - 3_600_000, end: T0 + 3_600_000 };
    const paused = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "a_paused", ...range } });
    expect(paused.skippedByReason.paused).toBe(want.filter((p) => p.endsWith("|a_paused")).length);
    const py = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "c_python", ...range } });
    expect(py.skippedByReason.not_runnable).toBe(want.filter((p) => p.endsWith("|c_python")).length);
    expect(getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "c_python" } })).toMatchObject({
      status: "NOT_RUNNABLE",
      reason: expect.stringMatching(/Python/),
    });
    expect(getScorerRuntime({ ctx, input: { experimentId: exp, scorerName: "a_paused" } })).toMatchObject({ status: "PAUSED", reason: "too noisy" });
  });
});

describe("failures", () => {
  it("records a permanent failure as an error assessment with the reason", async () => {
    const exp = newExperiment(ctx, "permanent");
    addScorer(ctx, exp, {
      name: "latency",
      sampleRate: 1,
      serialized: serializeBuiltin({ name: "latency", className: "LatencyBudget", params: { max_ms: 100 } }),
    });
    const [open] = await seedTraces(ctx, exp, "open", [{ startMs: T0, durationMs: null }]);
    // Its root span never ends: it becomes complete after the quiet period, without a duration.
    completeQuietTraces({ ctx, input: { quietMs: 0 } });
    await drain(engine(ctx));
    const a = db.$client.prepare("SELECT value, error FROM assessments WHERE trace_id = ?").get(open) as { value: string | null; error: string };
    expect(a.value).toBeNull();
    expect(JSON.parse(a.error)).toEqual({ error_code: ERROR_CODES.permanent, error_message: expect.stringMatching(/no execution time/) });
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "latency", start: T0 - 3_600_000, end: T0 + 3_600_000 } });
    expect(f.failedByReason).toEqual({ [ERROR_CODES.permanent]: 1 });
  });

  it("cuts off a hanging scorer, retries it durably with backoff, then records a timeout", async () => {
    const exp = newExperiment(ctx, "hanging");
    addScorer(ctx, exp, { name: "slow", sampleRate: 1, serialized: serializeBuiltin({ name: "slow", className: "JsonValid" }) });
    const ids = await seedTraces(
      ctx,
      exp,
      "hang",
      Array.from({ length: 5 }, (_, i) => ({ startMs: T0 + i })),
    );
    let now = Date.now();
    const clock: Ctx = { ...ctx, now: () => now };
    const en = engine(clock, { policy: { baseMs: 1000, maxMs: 8000, maxAttempts: 3 } });
    en.e.code = { ...en.e.code, timeoutMs: 20, testDelayMs: 300 };
    await drain(en);
    const task = () =>
      db.$client.prepare("SELECT attempts, next_attempt_at, last_error FROM engine_tasks WHERE trace_id = ?").get(ids[0]) as
        { attempts: number; next_attempt_at: number; last_error: string } | undefined;
    expect(task()).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/did not finish within 20 ms/) });
    // The retry waits for its time, stored in the row (backoff with jitter: 500..1000 ms here).
    expect(task()!.next_attempt_at - now).toBe(750);
    expect(getScorerRuntime({ ctx: clock, input: { experimentId: exp, scorerName: "slow" } }).pending).toEqual({ online: 5, jobs: 0, retrying: 5 });
    await drain(en);
    expect(task()!.attempts).toBe(1);
    now += 1000;
    await drain(en);
    expect(task()!.attempts).toBe(2);
    now += 10_000;
    await drain(en);
    expect(task()).toBeUndefined();
    const errors = db.$client.prepare("SELECT error, metadata FROM assessments WHERE experiment_id = ?").all(exp) as { error: string; metadata: string }[];
    expect(errors).toHaveLength(5);
    expect(JSON.parse(errors[0]!.error)).toEqual({ error_code: ERROR_CODES.timeout, error_message: expect.stringMatching(/^Gave up after 3 attempts/) });
    expect(JSON.parse(errors[0]!.metadata).attempts).toBe("3");
    const f = getScorerFunnel({ ctx, input: { experimentId: exp, scorerName: "slow", start: T0 - 3_600_000, end: T0 + 3_600_000 } });
    expect(f).toMatchObject({ sampled: 5, failed: 5, retried: 10, retriedByReason: { timeout: 10 }, pending: 0 });
  });
});
