// The promise "nothing is lost, nothing is done twice", tested the hard way: a real worker
// process (scripts/worker.ts) is SIGKILLed in the middle of online scoring and of a backfill,
// restarted, and afterwards every sampled pair has exactly one assessment and there are no others;
// likewise session scoring: one verdict per (session, scorer version, set of turns).
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { createBackfillJob } from "@/lib/engine";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { selectScorers } from "@/lib/engine/sampling";
import { serializeBuiltin, serializeVigilModule } from "@/scorers";
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

const workerEnv = () => ({
  DATABASE_URL: file,
  VIGIL_WORKER_POLL_MS: "20",
  VIGIL_ENGINE_BATCH: "10",
  // Slow code scorers (40 ms a batch) so that a kill lands in the middle of the work.
  VIGIL_ENGINE_TEST_DELAY_MS: "40",
  // A dead worker's leases run out fast, so the restarted one takes its work over.
  VIGIL_LEASE_MS: "800",
});
const startWorker = (): ChildProcess => workers.start(workerEnv());
const kill = (c: ChildProcess) => workers.kill(c);

const count = (sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

const scorerList = [
  { name: "length", sampleRate: 1, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.5, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
  {
    name: "ok_only",
    sampleRate: 0.6,
    filterString: "trace.status = 'OK'",
    serialized: serializeBuiltin({ name: "ok_only", className: "KeywordAbsent", params: { keywords: ["sorry"] } }),
  },
];

describe("a worker killed with SIGKILL and restarted", () => {
  it("online scoring: every sampled pair ends with exactly one assessment", async () => {
    const exp = newExperiment(ctx, "crash-online");
    for (const s of scorerList) addScorer(ctx, exp, s);
    const t0 = Date.now() - 3_600_000;
    const ids = await seedTraces(
      ctx,
      exp,
      "crash-online",
      Array.from({ length: 500 }, (_, i) => ({ startMs: t0 + i * 100, error: i % 7 === 0 })),
    );
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
    await waitFor(
      "the outbox and queue to empty",
      () => count("SELECT COUNT(*) AS n FROM engine_completions") === 0 && count("SELECT COUNT(*) AS n FROM engine_tasks") === 0,
    );
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
    const ids = await seedTraces(
      ctx,
      exp,
      "crash-backfill",
      Array.from({ length: 500 }, (_, i) => ({ startMs: t0 + i * 1000, error: i % 7 === 0 })),
    );
    // These traces completed before any scorer existed: online scoring let them pass.
    db.$client.prepare("DELETE FROM engine_completions WHERE experiment_id = ?").run(exp);
    for (const s of scorerList) addScorer(ctx, exp, s);
    const { job_id } = createBackfillJob({ ctx, input: { experiment_id: exp, scorers: ["length", "json", "ok_only"] } });
    const isOk = new Set(ids.filter((_, i) => i % 7 !== 0));
    const want = expectedPairs(ids, scorerList, (id) => isOk.has(id));
    const job = () =>
      db.$client.prepare("SELECT status, done, failed, total, scan_done FROM jobs WHERE job_id = ?").get(job_id) as {
        status: string;
        done: number;
        failed: number;
        total: number;
      };

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

const sessionScorers = [
  { name: "rq", sampleRate: 1, serialized: serializeVigilModule({ name: "rq", module: "repeated-question" }) },
  { name: "rq_half", sampleRate: 0.5, serialized: serializeVigilModule({ name: "rq_half", module: "repeated-question", params: { min_chars: 5 } }) },
];

describe("a worker killed with SIGKILL during session scoring", () => {
  // Sessions complete at once here: the buffer is a clock rule tested in engine-sessions.test.ts.
  const startWorker = () => workers.start({ ...workerEnv(), VIGIL_SESSION_BUFFER_MS: "0" });
  it("scores each sampled session once per set of turns, and re-scores the ones late turns joined", async () => {
    const exp = newExperiment(ctx, "sessions-crash");
    for (const s of sessionScorers) addScorer(ctx, exp, s);
    const t0 = Date.now() - 3_600_000;
    const sessions = Array.from({ length: 300 }, (_, i) => `crash-${i}`);
    const turn = (k: number) => sessions.map((s, i) => ({ startMs: t0 + i * 10 + k, session: s, question: `question ${k} of ${s}` }));
    await seedTraces(ctx, exp, "crash-sessions", [...turn(0), ...turn(1), ...turn(2)]);
    const want = new Map(sessionScorers.map((s) => [s.name, sessions.filter((id) => selectScorers(id, sessionScorers).includes(s.name))]));
    const wantFirst = [...want.values()].reduce((n, l) => n + l.length, 0);
    const stored = () => count("SELECT COUNT(*) AS n FROM assessments WHERE experiment_id = ?", exp);

    const killedAt: number[] = [];
    for (const target of [0.2, 0.5]) {
      const w = startWorker();
      await waitFor(`${target * 100}% of sessions scored`, () => stored() >= wantFirst * target);
      await workers.kill(w);
      killedAt.push(stored());
    }
    // Late turns join a third of the sessions, while a worker is scoring and killed again.
    const late = sessions.filter((_, i) => i % 3 === 0);
    const w = startWorker();
    await seedTraces(
      ctx,
      exp,
      "crash-late",
      late.map((s, i) => ({ startMs: t0 + 3_000_000 + i, session: s, question: `late question of ${s}` })),
    );
    await waitFor("80% scored", () => stored() >= wantFirst * 0.8);
    await workers.kill(w);
    killedAt.push(stored());
    for (const n of killedAt) expect(n).toBeLessThan(wantFirst + late.length);

    const last = startWorker();
    const idle = () =>
      count("SELECT COUNT(*) AS n FROM engine_tasks") === 0 &&
      count("SELECT COUNT(*) AS n FROM engine_sessions WHERE experiment_id = ? AND revision > sampled_revision", exp) === 0;
    await waitFor("queue and due sessions to empty", idle);
    await new Promise((r) => setTimeout(r, 300));
    await waitFor("still idle", idle);
    await workers.kill(last);

    // Exactly one verdict per (session, scorer, set of turns): the ledger and the assessments agree.
    const rows = db.$client
      .prepare(
        `SELECT a.name, json_extract(a.metadata, '$."mlflow.assessment.onlineScoringSessionId"') AS sid, a.valid,
                json_extract(a.metadata, '$."vigil.session.turns"') AS turns
         FROM assessments a WHERE a.experiment_id = ?`,
      )
      .all(exp) as { name: string; sid: string; valid: number; turns: string }[];
    expect(count("SELECT COUNT(*) AS n FROM engine_session_scores WHERE experiment_id = ?", exp)).toBe(rows.length);
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.name}/${r.sid}/${r.turns}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
    const lateSet = new Set(late);
    for (const [name, ids] of want) {
      const valid = rows.filter((r) => r.name === name && r.valid === 1);
      expect(valid.map((r) => r.sid).sort()).toEqual([...ids].sort()); // one valid verdict per sampled session
      for (const r of valid) expect(r.turns).toBe(lateSet.has(r.sid) ? "4" : "3");
      // A late session scored before its late turn has its older verdict kept, invalid.
      for (const r of rows.filter((x) => x.name === name && x.valid === 0)) {
        expect(lateSet.has(r.sid)).toBe(true);
        expect(r.turns).toBe("3");
      }
    }
  }, 180_000);
});
