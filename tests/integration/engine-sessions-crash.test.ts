// Sessions are never scored twice for the same set of turns, and none is lost, when the worker
// (scripts/worker.ts, a real process) is SIGKILLed in the middle of session scoring and restarted,
// also while late turns join sessions already scored.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { selectScorers } from "@/lib/engine/sampling";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeVigilModule } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { WorkerProcesses, waitFor } from "../helpers/worker-process";
import { addScorer, newExperiment, seedTraces } from "./engine.helpers";

let db: Db;
let ctx: Ctx;
let file: string;
let cleanup: () => void;
const workers = new WorkerProcesses();

beforeAll(() => {
  const tmp = tempDbPath("vigil-sessions-crash-");
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

const startWorker = (): ChildProcess =>
  workers.start({
    DATABASE_URL: file,
    VIGIL_WORKER_POLL_MS: "20",
    VIGIL_ENGINE_BATCH: "10",
    VIGIL_ENGINE_TEST_DELAY_MS: "40", // slow code scorers, so a kill lands mid-batch
    VIGIL_LEASE_MS: "800",
    VIGIL_SESSION_BUFFER_MS: "0",
  });

const count = (sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;
const scorerList = [
  { name: "rq", sampleRate: 1, serialized: serializeVigilModule({ name: "rq", module: "repeated-question" }) },
  { name: "rq_half", sampleRate: 0.5, serialized: serializeVigilModule({ name: "rq_half", module: "repeated-question", params: { min_chars: 5 } }) },
];

describe("a worker killed with SIGKILL during session scoring", () => {
  it("scores each sampled session once per set of turns, and re-scores the ones late turns joined", async () => {
    const exp = newExperiment(ctx, "sessions-crash");
    for (const s of scorerList) addScorer(ctx, exp, s);
    const t0 = Date.now() - 3_600_000;
    const sessions = Array.from({ length: 300 }, (_, i) => `crash-${i}`);
    const turn = (k: number) => sessions.map((s, i) => ({ startMs: t0 + i * 10 + k, session: s, question: `question ${k} of ${s}` }));
    seedTraces(ctx, exp, "crash-sessions", [...turn(0), ...turn(1), ...turn(2)]);
    const want = new Map(scorerList.map((s) => [s.name, sessions.filter((id) => selectScorers(id, scorerList).includes(s.name))]));
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
    seedTraces(ctx, exp, "crash-late", late.map((s, i) => ({ startMs: t0 + 3_000_000 + i, session: s, question: `late question of ${s}` })));
    await waitFor("80% scored", () => stored() >= wantFirst * 0.8);
    await workers.kill(w);
    killedAt.push(stored());
    for (const n of killedAt) expect(n).toBeLessThan(wantFirst + late.length);

    const last = startWorker();
    const idle = () => count("SELECT COUNT(*) AS n FROM engine_tasks") === 0 && count("SELECT COUNT(*) AS n FROM engine_sessions WHERE experiment_id = ? AND revision > sampled_revision", exp) === 0;
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
