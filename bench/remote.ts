// Remote-mode benchmark: a monitoring Vigil scores N traces held by a second Vigil acting as the
// MLflow server (real HTTP on loopback) with 3 code scorers at rate 1, and writes 3N assessments
// back, one REST call each (MLflow has no batch create). Baseline in the same run: the same
// remote engine against the embedded backend of an identical store (no HTTP), so the ratio is
// what the REST round trips cost.
// Run: npx tsx bench/remote.ts [traces=3000]
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

async function run(label: string, makeBackend: (s: TestServer) => MlflowBackend): Promise<number> {
  const store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  const exp = String(Number((store.db.$client.prepare("SELECT MAX(experiment_id) FROM experiments").pluck().get() as number) + 1));
  const backend = makeBackend(store);
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
  const now = Date.now();
  for (let i = 0; i < N; i += 1000) {
    seedTraces(
      store.ctx,
      Number(exp),
      Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ startMs: now - 50 * 60_000 + (i + k) * 5 })),
    );
  }
  const t0 = performance.now();
  const r = await drainRemote(m, { resync: true, maxPasses: 100_000 });
  const s = (performance.now() - t0) / 1000;
  const written = vigilAssessments(store.ctx, exp).length;
  if (written !== N * SCORERS.length) throw new Error(`${label}: expected ${N * SCORERS.length} assessments, found ${written}`);
  console.log(
    `${label.padEnd(34)} ${N} traces, ${written} assessments in ${s.toFixed(2)} s: ${(N / s).toFixed(0)} traces/s, ${(written / s).toFixed(0)} assessments/s (${r.passes} passes)`,
  );
  m.close();
  await store.close();
  return written / s;
}

const base = await run("baseline: embedded backend", (s) => embeddedBackend(s.ctx));
const http = await run("remote: REST over loopback HTTP", (s) => remoteBackend(new MlflowClient({ trackingUri: s.url })));
const TARGET_PER_S = 3000;
const TARGET_RATIO = 0.8;
console.log(`ratio remote/baseline: ${(http / base).toFixed(2)}`);
console.log(
  `target >= ${TARGET_PER_S} assessments/s over REST: ${http >= TARGET_PER_S ? "MET" : "MISSED"}; target ratio >= ${TARGET_RATIO}: ${http / base >= TARGET_RATIO ? "MET" : "MISSED"}`,
);
