// Remote mode under faults: a proxy between the monitoring Vigil and the MLflow server (a Vigil,
// and the MLflow fixture built from MLflow's source, whose traces partly keep their spans in
// traces.json) drops connections (before and after the server applied the request), delays past
// the client's timeout, and answers 429/5xx for a while. Afterwards every sampled pair has exactly
// one assessment on the server, and while MLflow was down the work waited instead of moving on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { reachabilityRecorder, remoteStatusOf, listRemoteExperiments } from "@/lib/remote";
import { serializeBuiltin } from "@/scorers";
import { startFaultProxy, type Fault, type FaultProxy } from "../helpers/fault-proxy";
import { startStore, type ContractStore, type StoreKind } from "../helpers/mlflow-stores";
import { expectedPairs } from "./engine.helpers";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";

const SCORERS = [
  { name: "length", sampleRate: 1, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.6, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
  { name: "kw", sampleRate: 0.3, serialized: serializeBuiltin({ name: "kw", className: "KeywordAbsent", params: { keywords: ["sorry"] } }) },
];

describe.each<StoreKind>(["vigil", "mlflow"])("remote engine through a faulty network to a %s server", (kind) => {
  let store: ContractStore;
  let proxy: FaultProxy;
  let m: Monitor;
  let exp: string;
  const now = Date.now();

  beforeAll(async () => {
    store = await startStore(kind);
    proxy = await startFaultProxy(store.url);
    const setup = new MlflowClient({ trackingUri: store.url });
    exp = await setup.createExperiment("faulty");
    m = startMonitor(remoteBackend(new MlflowClient({ trackingUri: proxy.url, timeoutMs: 250, maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 20 })), {
      VIGIL_REMOTE_EXPERIMENTS: "faulty",
    });
    // The monitor's client reports reachability into the monitor's database, as in production.
    const recorder = reachabilityRecorder(m.ctx.db);
    m.rc.backend = remoteBackend(
      new MlflowClient({ trackingUri: proxy.url, timeoutMs: 250, maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 20, onReachability: (r) => recorder(r) }),
    );
    await drainRemote(m);
    for (const s of SCORERS) {
      registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, serialized_scorer: s.serialized } });
      setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, sample_rate: s.sampleRate } });
    }
    await drainRemote(m, { resync: true });
  });
  afterAll(async () => {
    m.close();
    await proxy.close();
    await store.close();
  });

  const expected = (ids: string[]) => [...expectedPairs(ids, SCORERS, () => true)].sort();

  it("waits while MLflow is down, shows it unreachable, and does not move past unscored traces", async () => {
    const ids = await store.seed(
      exp,
      Array.from({ length: 15 }, (_, i) => ({ startMs: now - 30 * 60_000 + i * 1000 })),
    );
    proxy.setPolicy(() => ({ kind: "status", status: 500 }));
    const r = await drainRemote(m, { tolerate: true, maxPasses: 5 }).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error); // never idle: the work is still there
    expect(store.vigilAssessments(exp)).toEqual([]);
    expect(remoteStatusOf(m.ctx.db, { ...m.ctx.config, MLFLOW_TRACKING_URI: proxy.url })).toMatchObject({ reachable: false });
    const [link] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    expect(link!.checkpoint_ms).toBeLessThan(now - 30 * 60_000);

    proxy.setPolicy(() => ({ kind: "pass" }));
    await drainRemote(m, { resync: true });
    expect(store.vigilAssessments(exp)).toEqual(expected(ids));
    expect(remoteStatusOf(m.ctx.db, { ...m.ctx.config, MLFLOW_TRACKING_URI: proxy.url })).toMatchObject({ reachable: true });
  });

  it("writes every sampled pair exactly once through drops, lost answers, timeouts and 500s", async () => {
    const before = store.vigilAssessments(exp);
    const ids = await store.seed(
      exp,
      Array.from({ length: 60 }, (_, i) => ({ startMs: now - 20 * 60_000 + i * 1000 })),
    );
    proxy.resetStats();
    proxy.failFor(150, { kind: "status", status: 503 });
    // Counted per kind of request, so every fault happens however the requests interleave.
    const seen = { create: 0, batch: 0, search: 0, info: 0, artifact: 0 };
    proxy.setPolicy(({ method, path }): Fault => {
      if (method === "POST" && path.includes("/assessments")) {
        const k = ++seen.create;
        if (k % 3 === 0) return { kind: "drop_after_forward" }; // applied, answer lost
        if (k % 5 === 0) return { kind: "drop" };
        if (k % 7 === 0) return { kind: "status", status: 500 };
        if (k % 11 === 0) return { kind: "status", status: 429, body: JSON.stringify({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }) };
      }
      if (path.includes("batchGet") && ++seen.batch % 4 === 0) return { kind: "drop" };
      // traces.json through the artifact proxy (the fixture keeps some traces' spans only there).
      if (path.includes("/mlflow-artifacts/") && ++seen.artifact % 3 === 0) return { kind: "status", status: 503 };
      if (path.includes("/traces/search") && ++seen.search % 3 === 0) return { kind: "delay", ms: 400 }; // past the 250 ms timeout
      if (method === "GET" && /\/traces\/tr-/.test(path) && ++seen.info % 2 === 0) return { kind: "status", status: 502 };
      return { kind: "pass" };
    });
    const r = await drainRemote(m, { tolerate: true, maxPasses: 400 });
    proxy.setPolicy(() => ({ kind: "pass" }));
    await drainRemote(m);
    const stats = proxy.stats();
    expect(stats.byKind.drop_after_forward ?? 0).toBeGreaterThan(0);
    expect(stats.byKind.drop ?? 0).toBeGreaterThan(0);
    expect(stats.byKind.delay ?? 0).toBeGreaterThan(0);
    expect(r.failures + (stats.byKind.status ?? 0)).toBeGreaterThan(0);
    if (kind === "mlflow") expect(seen.artifact).toBeGreaterThan(3);
    expect(store.vigilAssessments(exp)).toEqual([...before, ...expected(ids)].sort());
    expect(m.ctx.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks").pluck().get()).toBe(0);
  });

  it("records MLflow's refusal on the experiment it concerns and goes on with the rest", async () => {
    const before = store.vigilAssessments(exp);
    proxy.setPolicy(({ method, path }): Fault =>
      method === "POST" && path.includes("/scorers/register")
        ? { kind: "status", status: 400, body: JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "Scorer payload not supported" }) }
        : { kind: "pass" },
    );
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "refused", serialized_scorer: serializeBuiltin({ name: "refused", className: "JsonValid" }) },
    });
    const ids = await store.seed(
      exp,
      Array.from({ length: 10 }, (_, i) => ({ startMs: now - 5 * 60_000 + i * 1000 })),
    );
    await drainRemote(m);
    const [link] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    expect(link).toMatchObject({ last_error: expect.stringMatching(/400 INVALID_PARAMETER_VALUE: Scorer payload not supported/) });
    // Scanning and scoring went on regardless.
    expect(store.vigilAssessments(exp)).toEqual([...before, ...expected(ids)].sort());
    // The next full sync (every 10 s; forced here) registers it and clears the error.
    proxy.setPolicy(() => ({ kind: "pass" }));
    await drainRemote(m, { resync: true });
    expect(listRemoteExperiments({ ctx: m.ctx, input: {} })[0]).toMatchObject({ last_error: null });
  });
});
