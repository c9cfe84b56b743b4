// Remote mode, the hard way: the real worker process (scripts/worker.ts) runs with
// MLFLOW_TRACKING_URI pointing at a second Vigil acting as the MLflow server, and is SIGKILLed
// in the middle of scoring and writing, three times. After a last restart every sampled pair
// has exactly one assessment on the server, and no others.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { Ctx } from "@/lib/core";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { WorkerProcesses, waitFor } from "../helpers/worker-process";
import { expectedPairs } from "./engine.helpers";
import { seedTraces } from "./mlflow.helpers";
import { crashWorkerEnv, vigilAssessments, workerDatabase } from "./remote.helpers";

let store: TestServer;
let w: ReturnType<typeof workerDatabase>;
let db: Db;
let ctx: Ctx;
const workers = new WorkerProcesses();

beforeAll(async () => {
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  w = workerDatabase("vigil-remote-crash-");
  ({ db, ctx } = w);
});
afterAll(async () => {
  workers.killAll();
  w.close();
  await store.close();
});

// A dead worker's judge leases run out fast too.
const startWorker = (): ChildProcess => workers.start(crashWorkerEnv(w.file, store.url, "crash-remote", { VIGIL_JUDGE_TIMEOUT_MS: "300" }));
const kill = (c: ChildProcess) => workers.kill(c);

const SCORERS = [
  { name: "length", sampleRate: 1, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.5, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
];

describe("a remote-mode worker killed with SIGKILL and restarted", () => {
  it("writes every sampled pair onto the server's traces exactly once", async () => {
    const exp = await new MlflowClient({ trackingUri: store.url }).createExperiment("crash-remote");
    const w0 = startWorker();
    await waitFor("the experiment to be linked", () => db.$client.prepare("SELECT 1 FROM remote_experiments").get() !== undefined);
    for (const s of SCORERS) {
      registerScorer({ ctx, input: { experiment_id: exp, name: s.name, serialized_scorer: s.serialized } });
      setOnlineConfig({ ctx, input: { experiment_id: exp, name: s.name, sample_rate: s.sampleRate } });
    }
    // The scorers reach the server before traffic starts (they are pushed every pass).
    await waitFor("the scorers to be registered on the server", () => store.db.$client.prepare("SELECT COUNT(*) FROM scorers").pluck().get() === 2);
    const ids = await seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: 300 }, (_, i) => ({ startMs: Date.now() - 10 * 60_000 + i * 100 })),
    );
    const want = [...expectedPairs(ids, SCORERS, () => true)].sort();
    const written = () => vigilAssessments(store.ctx, exp).length;

    const killedAt: number[] = [written()];
    await kill(w0);
    for (const target of [0.2, 0.5, 0.8]) {
      const w = startWorker();
      await waitFor(`${target * 100}% written`, () => written() >= want.length * target);
      await kill(w);
      killedAt.push(written());
    }
    for (const n of killedAt.slice(1)) expect(n).toBeLessThan(want.length);
    const last = startWorker();
    await waitFor(
      "every pair written and the queue empty",
      () => written() >= want.length && db.$client.prepare("SELECT COUNT(*) FROM engine_tasks").pluck().get() === 0,
    );
    await kill(last);

    expect(vigilAssessments(store.ctx, exp)).toEqual(want);
    const ledger = db.$client.prepare("SELECT COUNT(*) FROM remote_scored").pluck().get();
    expect(ledger).toBe(want.length);
  }, 120_000);
});
