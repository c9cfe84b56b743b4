// "Score again": a job with rescore gives pairs already scored by the same scorer version a new
// assessment; the older one stays, valid=false, and the new one's `overrides` names it (MLflow's
// Assessment fields). One valid assessment per pair, whatever path (code in bulk, judge tasks).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { embeddedSink } from "@/lib/embedded/sink";
import { createAssessJob, createBackfillJob, getJob } from "@/lib/engine/jobs";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeBuiltin } from "@/scorers";
import { answer, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, drain, engine, newExperiment, seedTraces } from "./engine.helpers";

const T0 = Date.UTC(2026, 0, 5, 9);
let db: Db;
let ctx: Ctx;
let judge: FakeJudgeServer;
let cleanup: () => void;
let now = Date.UTC(2026, 0, 6, 12);

beforeAll(async () => {
  judge = await startFakeJudgeServer();
  judge.respond(() => ({ body: answer("yes", "Nothing harmful.") }));
  const tmp = tempDbPath("vigil-rescore-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  const config = parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0", VIGIL_JUDGE_BASE_URL: judge.baseUrl, VIGIL_JUDGE_API_KEY: "sk-test" });
  ctx = testCtx(db, config, { now: () => now });
});
afterAll(async () => {
  await judge.close();
  db.$client.close();
  cleanup();
});

interface Row {
  assessment_id: string;
  trace_id: string;
  valid: number;
  overrides: string | null;
  run_id: string | null;
}
const rowsOf = (exp: number, name: string) =>
  db.$client
    .prepare("SELECT assessment_id, trace_id, valid, overrides, run_id FROM assessments WHERE experiment_id = ? AND name = ? ORDER BY create_time, rowid")
    .all(exp, name) as Row[];
const run = () => drain(engine(ctx, { judgeRps: 1000, judgeConcurrency: 4, batchSize: 4 }));

/** Every trace has exactly one valid assessment, and each invalid one is overridden by exactly one later row. */
function expectHistory(rows: Row[], traceIds: string[], generations: number) {
  expect(rows).toHaveLength(traceIds.length * generations);
  for (const id of traceIds) {
    const mine = rows.filter((r) => r.trace_id === id);
    expect(mine.filter((r) => r.valid === 1)).toHaveLength(1);
    // A chain: the first overrides nothing, each later one overrides the one before it.
    expect(mine.map((r) => r.overrides)).toEqual([null, ...mine.slice(0, -1).map((r) => r.assessment_id)]);
    expect(mine.at(-1)!.valid).toBe(1);
  }
}

describe("score again", () => {
  it("an assess job with rescore scores the traces online scoring already scored, keeping the older verdicts as invalid", async () => {
    const exp = newExperiment(ctx, "rescore-code");
    addScorer(ctx, exp, { name: "errors", sampleRate: 1, serialized: serializeBuiltin({ name: "errors", className: "TraceError" }) });
    const ids = await seedTraces(
      ctx,
      exp,
      "code",
      Array.from({ length: 10 }, (_, i) => ({ startMs: T0 + i * 1000, error: i % 2 === 0 })),
    );
    await run();
    expectHistory(rowsOf(exp, "errors"), ids, 1);

    // Without rescore the job finds them all scored; with it, each gets a new assessment.
    const plain = createAssessJob({ ctx, input: { experiment_id: String(exp), scorers: ["errors"] } });
    await run();
    expect(getJob({ ctx, input: { job_id: plain.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 0, skipped: 10, rescore: false });

    now += 60_000;
    const again = createAssessJob({ ctx, input: { experiment_id: String(exp), scorers: ["errors"], rescore: true } });
    await run();
    expect(getJob({ ctx, input: { job_id: again.job_id } })).toMatchObject({ status: "SUCCEEDED", total: 10, done: 10, skipped: 0, rescore: true });
    const rows = rowsOf(exp, "errors");
    expectHistory(rows, ids, 2);
    expect(rows.filter((r) => r.valid === 1).every((r) => r.run_id === again.job_id)).toBe(true);
    // Read models count the valid one only.
    const scores = db.$client.prepare("SELECT COUNT(*) AS n FROM engine_scores WHERE experiment_id = ?").get(exp) as { n: number };
    expect(scores.n).toBe(10);
  });

  it("a backfill with rescore on an LLM judge supersedes through the judge's task queue too", async () => {
    const exp = newExperiment(ctx, "rescore-judge");
    addScorer(ctx, exp, { name: "safety", sampleRate: 1, serialized: serializeBuiltin({ name: "safety", className: "Safety" }) });
    const ids = await seedTraces(
      ctx,
      exp,
      "judge",
      Array.from({ length: 6 }, (_, i) => ({ startMs: T0 + i * 1000 })),
    );
    await run();
    expectHistory(rowsOf(exp, "safety"), ids, 1);
    const calls = judge.requests.length;
    for (let g = 2; g <= 3; g++) {
      now += 60_000;
      const job = createBackfillJob({
        ctx,
        input: { experiment_id: String(exp), scorers: ["safety"], start_time_ms: T0, end_time_ms: T0 + 60_000, rescore: true },
      });
      await run();
      expect(getJob({ ctx, input: { job_id: job.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 6, failed: 0, skipped: 0 });
      expectHistory(rowsOf(exp, "safety"), ids, g);
      expect(judge.requests.length - calls).toBe(6 * (g - 1)); // really asked the judge again, once per trace
    }
  });

  it("is refused with 400 on an experiment linked to a remote MLflow, where the older assessment would stay valid", () => {
    const exp = newExperiment(ctx, "rescore-remote");
    addScorer(ctx, exp, { name: "errors", sampleRate: 1, serialized: serializeBuiltin({ name: "errors", className: "TraceError" }) });
    db.$client
      .prepare("INSERT INTO remote_experiments (experiment_id, remote_experiment_id, scored_by, linked_at, updated_at) VALUES (?, 'r-1', 'vigil', ?, ?)")
      .run(exp, now, now);
    const jobs = () => db.$client.prepare("SELECT COUNT(*) AS n FROM jobs WHERE experiment_id = ?").get(exp) as { n: number };
    expect(() => createAssessJob({ ctx, input: { experiment_id: String(exp), scorers: ["errors"], rescore: true } })).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/rescore is not available .* linked to a remote MLflow/) }),
    );
    expect(() => createBackfillJob({ ctx, input: { experiment_id: String(exp), scorers: ["errors"], rescore: true } })).toThrow(/rescore is not available/);
    expect(jobs().n).toBe(0);
  });

  it("the sink supersedes once per pair and run: a row of the run already holding the valid one is refused", async () => {
    const exp = newExperiment(ctx, "rescore-sink");
    const [id] = await seedTraces(ctx, exp, "sink", [{ startMs: T0 }]);
    const sink = embeddedSink(db.$client);
    const row = (assessmentId: string, runId: string | null) => ({
      assessmentId,
      traceId: id!,
      experimentId: exp,
      name: "n",
      sourceType: "CODE" as const,
      sourceId: "n",
      value: "true",
      error: null,
      rationale: null,
      metadata: "{}",
      createTime: now,
      scorerId: "sc-x",
      scorerVersion: 1,
      runId,
    });
    const write = (f: () => Set<string>) => db.$client.transaction(f).immediate();
    expect([...write(() => sink.insert([row("a-1", null)]))]).toEqual(["a-1"]);
    expect([...write(() => sink.insert([row("a-2", "job-a")]))]).toEqual([]);
    expect([...write(() => sink.supersede([row("a-2", "job-a")]))]).toEqual(["a-2"]);
    // The same run again (a retried page, a second task): nothing written, still one valid.
    expect([...write(() => sink.supersede([row("a-3", "job-a")]))]).toEqual([]);
    expect([...write(() => sink.supersede([row("a-4", "job-b")]))]).toEqual(["a-4"]);
    expect(rowsOf(exp, "n").map((r) => [r.assessment_id, r.valid, r.overrides])).toEqual([
      ["a-1", 0, null],
      ["a-2", 0, "a-1"],
      ["a-4", 1, "a-2"],
    ]);
  });
});
