// Session scoring in remote mode, the hard way: the real worker process (scripts/worker.ts) runs
// against the MLflow fixture (MLFLOW_TRACKING_URI) and is SIGKILLed in the middle of scoring and
// writing session verdicts, three times. After a last restart every conversation has exactly one
// verdict on MLflow's traces, valid, on its first trace, and Vigil's ledger one row per session.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { Ctx } from "@/lib/core";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { ONLINE_SESSION_ID_KEY, serializeVigilModule } from "@/scorers";
import { startStore, type ContractStore } from "../helpers/mlflow-stores";
import { WorkerProcesses, waitFor } from "../helpers/worker-process";
import { crashWorkerEnv, workerDatabase } from "./remote.helpers";
import { turnOf, verdictsOn } from "./remote-sessions.helpers";

let store: ContractStore;
let w: ReturnType<typeof workerDatabase>;
let db: Db;
let ctx: Ctx;
const workers = new WorkerProcesses();

beforeAll(async () => {
  store = await startStore("mlflow");
  w = workerDatabase("vigil-remote-session-crash-");
  ({ db, ctx } = w);
});
afterAll(async () => {
  workers.killAll();
  w.close();
  await store.close();
});

// Sessions complete at once here (the kills are the point), and code scorers are slow so a kill lands mid-work.
const startWorker = (): ChildProcess =>
  workers.start(crashWorkerEnv(w.file, store.url, "crash-sessions", { VIGIL_SESSION_BUFFER_MS: "0", VIGIL_ENGINE_TEST_DELAY_MS: "60" }));

const SESSIONS = 120;

describe("a remote-mode worker scoring sessions, killed with SIGKILL and restarted", () => {
  it("writes one verdict per conversation onto MLflow's traces, never two", async () => {
    const exp = await new MlflowClient({ trackingUri: store.url }).createExperiment("crash-sessions");
    const w0 = startWorker();
    await waitFor("the experiment to be linked", () => db.$client.prepare("SELECT 1 FROM remote_experiments").get() !== undefined);
    registerScorer({ ctx, input: { experiment_id: exp, name: "rq", serialized_scorer: serializeVigilModule({ name: "rq", module: "repeated-question" }) } });
    setOnlineConfig({ ctx, input: { experiment_id: exp, name: "rq", sample_rate: 1 } });
    await waitFor("the scorer to be registered on MLflow", () => store.fixture!.state.scorers.length === 1);
    const t0 = Date.now() - 30 * 60_000;
    const firsts = new Map<string, string>();
    for (let i = 0; i < SESSIONS; i++) {
      const sid = `conv-${i}`;
      const ids = await store.seed(
        exp,
        [0, 1, 2].map((k) => turnOf(sid, t0 + i * 1000 + k * 100, `question number ${k} of ${sid}`)),
      );
      firsts.set(sid, ids[0]!);
    }
    const written = () => verdictsOn(store, exp, "rq").length;

    const killedAt: number[] = [];
    await workers.kill(w0);
    for (const target of [0.2, 0.5, 0.8]) {
      const w = startWorker();
      await waitFor(`${target * 100}% of the sessions scored`, () => written() >= SESSIONS * target);
      await workers.kill(w);
      killedAt.push(written());
    }
    for (const n of killedAt) expect(n).toBeLessThan(SESSIONS);
    const last = startWorker();
    await waitFor(
      "every session scored and the queue empty",
      () => written() >= SESSIONS && db.$client.prepare("SELECT COUNT(*) FROM engine_tasks").pluck().get() === 0,
    );
    await workers.kill(last);

    const verdicts = verdictsOn(store, exp, "rq");
    expect(verdicts).toHaveLength(SESSIONS);
    const bySession = new Map(verdicts.map((v) => [v.metadata[ONLINE_SESSION_ID_KEY]!, v]));
    expect(bySession.size).toBe(SESSIONS);
    for (const [sid, v] of bySession) expect(v).toMatchObject({ traceId: firsts.get(sid), valid: true, value: "yes", overrides: null });
    expect(db.$client.prepare("SELECT COUNT(*) FROM engine_session_scores").pluck().get()).toBe(SESSIONS);
  }, 120_000);
});
