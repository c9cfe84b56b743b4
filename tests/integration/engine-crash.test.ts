// The promise "nothing is lost, nothing is done twice", tested the hard way: a real worker
// process (scripts/worker.ts) is SIGKILLed in the middle of online scoring and of a backfill,
// restarted, and afterwards every sampled pair has exactly one assessment and there are no others.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { createBackfillJob } from "@/lib/engine";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { WorkerProcesses, waitFor } from "../helpers/worker-process";
import { addScorer, expectedPairs, newExperiment, seedTraces, storedPairs } from "./engine.helpers";

let db: Db;
let ctx: Ctx;
let file: string;
let cleanup: () => void;
const workers = new WorkerProcesses();

beforeAll(() => {
  const tmp = tempDbPath("vigil-crash-");
  file = tmp.file;
  cleanup = tmp.cleanup;
  db = openDb(file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: file, VIGIL_DEMO: "0" }));
});
afterAll(() => {
  workers.killAll();
  db.$client.close();
  cleanup();
});

function startWorker(): ChildProcess {
  return workers.start({
    DATABASE_URL: file,
    VIGIL_WORKER_POLL_MS: "20",
    VIGIL_ENGINE_BATCH: "10",
    // Slow code scorers (40 ms a batch) so that a kill lands in the middle of the work.
    VIGIL_ENGINE_TEST_DELAY_MS: "40",
    // A dead worker's leases run out fast, so the restarted one takes its work over.
    VIGIL_LEASE_MS: "800",
  });
}
const kill = (c: ChildProcess) => workers.kill(c);

const count = (sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

const scorerList = [
  { name: "length", sampleRate: 1, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.5, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
  { name: "ok_only", sampleRate: 0.6, filterString: "trace.status = 'OK'", serialized: serializeBuiltin({ name: "ok_only", className: "KeywordAbsent", params: { keywords: ["sorry"] } }) },
];

describe("a worker killed with SIGKILL and restarted", () => {
  it("online scoring: every sampled pair ends with exactly one assessment", async () => {
    const exp = newExperiment(ctx, "crash-online");
    for (const s of scorerList) addScorer(ctx, exp, s);
    const t0 = Date.now() - 3_600_000;
    const ids = seedTraces(ctx, exp, "crash-online", Array.from({ length: 500 }, (_, i) => ({ startMs: t0 + i * 100, error: i % 7 === 0 })));
    const isOk = new Set(ids.filter((_, i) => i % 7 !== 0));
    const want = expectedPairs(ids, scorerList, (id) => isOk.has(id));
    const stored = () => count("SELECT COUNT(*) AS n FROM assessments WHERE experiment_id = ?", exp);

    const killedAt: number[] = [];
    for (const target of [0.2, 0.5, 0.8]) {
      const w = startWorker();
      await waitFor(`${target * 100}% scored`, () => stored() >= want.size * target);
      await kill(w);
      killedAt.push(stored());
    }
    // Each kill landed while work remained.
    for (const n of killedAt) expect(n).toBeLessThan(want.size);
    const last = startWorker();
    await waitFor("the outbox and queue to empty", () => count("SELECT COUNT(*) AS n FROM engine_completions") === 0 && count("SELECT COUNT(*) AS n FROM engine_tasks") === 0);
    await kill(last);

    const got = storedPairs(ctx, exp);
    expect(got.length).toBe(new Set(got).size); // no duplicates
    expect(new Set(got)).toEqual(want); // none missing, none extra
    const funnel = count("SELECT SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? AND stage = 'scored'", exp);
    expect(funnel).toBe(want.size); // a crash rolls the funnel back with the batch
  }, 120_000);

  it("a backfill: the job resumes where it stopped and ends with exactly the sampled pairs", async () => {
    const exp = newExperiment(ctx, "crash-backfill");
    const t0 = Date.now() - 2 * 86_400_000;
    const ids = seedTraces(ctx, exp, "crash-backfill", Array.from({ length: 500 }, (_, i) => ({ startMs: t0 + i * 1000, error: i % 7 === 0 })));
    // These traces completed before any scorer existed: online scoring let them pass.
    db.$client.prepare("DELETE FROM engine_completions WHERE experiment_id = ?").run(exp);
    for (const s of scorerList) addScorer(ctx, exp, s);
    const { job_id } = createBackfillJob({ ctx, input: { experiment_id: exp, scorers: ["length", "json", "ok_only"] } });
    const isOk = new Set(ids.filter((_, i) => i % 7 !== 0));
    const want = expectedPairs(ids, scorerList, (id) => isOk.has(id));
    const job = () => db.$client.prepare("SELECT status, done, failed, total, scan_done FROM jobs WHERE job_id = ?").get(job_id) as { status: string; done: number; failed: number; total: number };

    for (const target of [0.25, 0.6]) {
      const w = startWorker();
      await waitFor(`job ${target * 100}% done`, () => job().done >= want.size * target);
      await kill(w);
      expect(job().status).toBe("RUNNING");
    }
    const last = startWorker();
    await waitFor("the job to succeed", () => job().status === "SUCCEEDED");
    await kill(last);

    const got = storedPairs(ctx, exp);
    expect(got.length).toBe(new Set(got).size);
    expect(new Set(got)).toEqual(want);
    expect(job()).toMatchObject({ status: "SUCCEEDED", total: want.size, done: want.size, failed: 0 });
    const runIds = db.$client.prepare("SELECT DISTINCT run_id FROM assessments WHERE experiment_id = ?").all(exp);
    expect(runIds).toEqual([{ run_id: job_id }]);
  }, 120_000);
});
