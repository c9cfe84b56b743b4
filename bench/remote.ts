// Remote-mode benchmark: a monitoring Vigil scores N traces held by a second Vigil acting as the
// MLflow server (real HTTP on loopback) with 3 code scorers at rate 1, and writes 3N assessments
// back, one REST call each (MLflow has no batch create). Baseline in the same run: the same
// remote engine against the embedded backend of an identical store (no HTTP), so the ratio is
// what the REST round trips cost. The MLflow server runs in its own process (bench/remote-server.ts),
// as a real one would, so its work is not charged to the client; the embedded baseline has no server.
// Run: npx tsx bench/remote.ts [traces=3000]   (SERVER_PROF=<dir>: CPU profile of the server process)
import { fork } from "node:child_process";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../tests/helpers/server";
import { seedTraces } from "../tests/integration/mlflow.helpers";
import { drainRemote, startMonitor, vigilAssessments } from "../tests/integration/remote.helpers";

const N = Number(process.argv[2] ?? 3000);
const SCORERS = [
  { name: "length", serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 2000 } }) },
  { name: "no_sorry", serialized: serializeBuiltin({ name: "no_sorry", className: "KeywordAbsent", params: { keywords: ["sorry", "cannot"] } }) },
  { name: "pii", serialized: serializeBuiltin({ name: "pii", className: "PIILeak" }) },
];

/** The store holding the traces: in this process (embedded) or a child process over HTTP. */
interface Store {
  backend: MlflowBackend;
  lastExperiment(): Promise<number>;
  seed(experimentId: number, count: number, startMs: number): Promise<void>;
  assessments(experimentId: string): Promise<number>;
  close(): Promise<void>;
}

async function inProcess(): Promise<Store> {
  const store: TestServer = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  return {
    backend: embeddedBackend(store.ctx),
    lastExperiment: async () => store.db.$client.prepare("SELECT MAX(experiment_id) FROM experiments").pluck().get() as number,
    async seed(experimentId, count, startMs) {
      for (let i = 0; i < count; i += 1000) {
        await seedTraces(
          store.ctx,
          experimentId,
          Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({ startMs: startMs + (i + k) * 5 })),
        );
      }
    },
    assessments: async (exp) => vigilAssessments(store.ctx, exp).length,
    close: () => store.close(),
  };
}

async function childProcess(): Promise<Store> {
  const child = fork(new URL("./remote-server.ts", import.meta.url).pathname, [], {
    execArgv: [...(process.env.SERVER_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SERVER_PROF}`] : []), "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  let nextId = 1;
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (m: Record<string, unknown>) => {
      if (typeof m.url === "string") resolve(m.url);
      else waiting.get(m.id as number)?.(m);
    });
  });
  const ask = (m: Record<string, unknown>) => {
    const id = nextId++;
    return new Promise<Record<string, unknown>>((resolve) => {
      waiting.set(id, resolve);
      child.send({ id, ...m });
    });
  };
  return {
    backend: remoteBackend(new MlflowClient({ trackingUri: url })),
    lastExperiment: async () => (await ask({ lastExperiment: true })).experimentId as number,
    seed: async (experimentId, count, startMs) => void (await ask({ seed: true, experimentId, count, startMs })),
    assessments: async (experimentId) => (await ask({ assessments: true, experimentId: Number(experimentId) })).count as number,
    close: async () => void (await ask({ close: true })),
  };
}

async function run(label: string, open: () => Promise<Store>): Promise<number> {
  const store = await open();
  const exp = String((await store.lastExperiment()) + 1);
  const backend = store.backend;
  const created = await backend.createExperiment("bench");
  if (created !== exp) throw new Error(`unexpected experiment id ${created}`);
  const m = startMonitor(backend, { VIGIL_REMOTE_EXPERIMENTS: "bench" });
  m.rc.pageSize = 500;
  await drainRemote(m);
  for (const s of SCORERS) {
    registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, serialized_scorer: s.serialized } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, sample_rate: 1 } });
  }
  // Seeded after the scorers started: online scoring takes traces from then on, as MLflow does.
  await store.seed(Number(exp), N, Date.now() - 50 * 60_000);
  const t0 = performance.now();
  const r = await drainRemote(m, { resync: true, maxPasses: 100_000 });
  const s = (performance.now() - t0) / 1000;
  const written = await store.assessments(exp);
  if (written !== N * SCORERS.length) throw new Error(`${label}: expected ${N * SCORERS.length} assessments, found ${written}`);
  console.log(
    `${label.padEnd(34)} ${N} traces, ${written} assessments in ${s.toFixed(2)} s: ${(N / s).toFixed(0)} traces/s, ${(written / s).toFixed(0)} assessments/s (${r.passes} passes)`,
  );
  m.close();
  await store.close();
  return written / s;
}

const base = await run("baseline: embedded backend", inProcess);
const http = await run("remote: REST over loopback HTTP", childProcess);
const TARGET_PER_S = 3000;
const TARGET_RATIO = 0.8;
console.log(`ratio remote/baseline: ${(http / base).toFixed(2)}`);
console.log(
  `target >= ${TARGET_PER_S} assessments/s over REST: ${http >= TARGET_PER_S ? "MET" : "MISSED"}; target ratio >= ${TARGET_RATIO}: ${http / base >= TARGET_RATIO ? "MET" : "MISSED"}`,
);
