// The remote engine's promises, against both MlflowBackend implementations in the same run: a
// monitoring Vigil (its own SQLite file) scores the traces of a store it reaches either through
// the embedded verbs or over real HTTP (a Vigil, or the MLflow fixture built from MLflow's source,
// whose traces keep their spans in the tracking store or only in traces.json), writes each sampled
// pair's assessment onto the store's trace exactly once, registers its scorers there, and keeps
// its trends in its own rollups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { createAssessJob, createBackfillJob, getJob } from "@/lib/engine";
import { getTrend, rebuildRollups } from "@/lib/metrics";
import { MlflowClient } from "@/lib/mlflow/client";
import { deleteScorer, getScorer, listScorers, registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { getExperimentTraffic, getScorerOverview } from "@/lib/read";
import { listRemoteExperiments, setExperimentScoring } from "@/lib/remote";
import { serializeBuiltin } from "@/scorers";
import { startStore, type ContractStore } from "../helpers/mlflow-stores";
import { expectedPairs } from "../integration/engine.helpers";
import { drainRemote, startMonitor, type Monitor } from "../integration/remote.helpers";

type Impl = "embedded" | "remote" | "remote-mlflow";

// MLflow samples online only scorers on a gateway model (sqlalchemy_store.upsert_online_scoring_config).
const SAFETY = serializeBuiltin({ name: "safety", className: "Safety", params: { model: "gateway:/judge" } });

const SCORERS = [
  { name: "length", sampleRate: 1, filterString: null, serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  { name: "json", sampleRate: 0.5, filterString: null, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) },
  {
    name: "ok_only",
    sampleRate: 0.7,
    filterString: "trace.status = 'OK'",
    serialized: serializeBuiltin({ name: "ok_only", className: "KeywordAbsent", params: { keywords: ["sorry"] } }),
  },
];

describe.each<Impl>(["embedded", "remote", "remote-mlflow"])("remote engine against the %s backend", (impl) => {
  let store: ContractStore;
  let m: Monitor;
  let exp: string;
  const errorTraces = new Set<string>();
  const now = Date.now();
  let live: string[] = [];
  let old: string[] = [];

  const seed = async (n: number, startMs: number, tag: string) => {
    const ids = await store.seed(
      exp,
      Array.from({ length: n }, (_, i) => ({ startMs: startMs + i * 1000, error: i % 4 === 3, outputs: `${tag} answer ${i}` })),
    );
    ids.forEach((id, i) => i % 4 === 3 && errorTraces.add(id));
    return ids;
  };
  const expected = (ids: string[]) => [...expectedPairs(ids, SCORERS, (id) => !errorTraces.has(id))].sort();

  beforeAll(async () => {
    store = await startStore(impl === "remote-mlflow" ? "mlflow" : "vigil");
    const backend: MlflowBackend =
      impl === "embedded" ? embeddedBackend(store.vigil!.ctx) : remoteBackend(new MlflowClient({ trackingUri: store.url, minBackoffMs: 1, maxBackoffMs: 5 }));
    exp = await backend.createExperiment(`agent-${impl}`);
    await backend.createExperiment(`not-monitored-${impl}`);
    m = startMonitor(backend, { VIGIL_REMOTE_EXPERIMENTS: `agent-${impl}` });
    // Two hours back: outside the one-hour lookback, so online scoring leaves them to a backfill.
    old = await seed(12, now - 2 * 3_600_000, "old");
    await drainRemote(m); // links the experiment
    for (const s of SCORERS) {
      registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, serialized_scorer: s.serialized } });
      setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: s.name, sample_rate: s.sampleRate, filter_string: s.filterString ?? undefined } });
    }
  });
  afterAll(async () => {
    m.close();
    await store.close();
  });

  it("links only the experiments it was told to, under the same id", () => {
    const rows = m.ctx.db.$client.prepare("SELECT experiment_id, remote_experiment_id, scored_by FROM remote_experiments").all();
    expect(rows).toEqual([{ experiment_id: Number(exp), remote_experiment_id: exp, scored_by: "vigil" }]);
  });

  it("scores live traces online: every sampled pair once, nothing else", async () => {
    live = await seed(24, now - 20 * 60_000, "live");
    await drainRemote(m, { resync: true });
    expect(store.vigilAssessments(exp)).toEqual(expected(live));
    const funnel = m.ctx.db.$client
      .prepare("SELECT stage, SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? GROUP BY stage ORDER BY stage")
      .all(Number(exp));
    expect(funnel).toContainEqual({ stage: "scored", n: expected(live).length });
    if (store.fixture) {
      // A third of the fixture's traces keep their spans only in traces.json (Python's and the
      // TypeScript SDK's): those were read through the artifact proxy, with the right outputs.
      const f = store.fixture;
      expect(f.requests.filter((r) => r.startsWith("GET /api/2.0/mlflow-artifacts/artifacts/")).length).toBeGreaterThanOrEqual(live.length / 2);
      for (const id of live.filter((t) => !f.state.traces.get(t)!.spans)) {
        const a = f.state.traces.get(id)!.assessments.find((x) => x.assessment_name === "length")!;
        expect(a.rationale).toMatch(new RegExp(`is ${`live answer ${live.indexOf(id)}`.length} characters long`));
      }
    }
  });

  it("shows each scorer's last 24 hours, queue and checkpoint in the dashboard's overview", () => {
    const rows = getScorerOverview({ ctx: m.ctx, input: { experimentId: exp } }).rows;
    const length = rows.find((r) => r.scorer.name === "length")!;
    expect(length.health.scores24h).toBe(expected(live).filter((p) => p.endsWith("|length")).length);
    expect(length.health.lastScoredAt).not.toBeNull();
    expect(length.runtime.pending).toEqual({ online: 0, jobs: 0, retrying: 0 });
    // Live traces are a second apart, so the scan stopped at the last one.
    expect(length.runtime.lag.checkpoint).toEqual({ timestampMs: expect.any(Number), traceId: live[live.length - 1] });
    expect(length.runtime.lag.backlogTraces).toBe(0);
  });

  it("draws the overview's traffic from the traces it read", () => {
    const t = getExperimentTraffic({ ctx: m.ctx, input: { experimentId: exp, range: "24h" } });
    expect(t.totals).toMatchObject({ traces: live.length, errors: live.filter((id) => errorTraces.has(id)).length });
    expect(t.totals.p50Ms).toBeGreaterThan(0);
    expect(t.allTimeTraces).toBe(live.length);
  });

  it("registers its scorers on the store, with rate 0 there while Vigil scores", async () => {
    expect(store.scorerNames(exp)).toEqual(["json", "length", "ok_only"]);
    const okOnly = store.scorer(exp, "ok_only");
    expect(okOnly).toMatchObject({ sampleRate: 0, filterString: "trace.status = 'OK'" });
  });

  it("does not write twice after its ledger is lost (the marker on the trace is the lookup)", async () => {
    m.ctx.db.$client.prepare("DELETE FROM remote_scored").run();
    m.ctx.db.$client.prepare("UPDATE checkpoints SET timestamp_ms = ?, trace_id = ''").run(now - 3_600_000);
    await drainRemote(m);
    expect(store.vigilAssessments(exp)).toEqual(expected(live));
  });

  it("keeps trends in its own rollups, which a rebuild recomputes without losing them", () => {
    const count = () =>
      getTrend({ ctx: m.ctx, input: { experimentId: exp, scorer: "length", bucket: "hour", start: now - 86_400_000, end: now + 3_600_000 } })
        .series.flatMap((s) => s.points)
        .reduce((n, p) => n + p.count, 0);
    const want = expected(live).filter((p) => p.endsWith("|length")).length;
    expect(count()).toBe(want);
    expect(rebuildRollups({ ctx: m.ctx, input: { experimentId: exp } })).toMatchObject({ points: expected(live).length, fromHotStore: 0 });
    expect(count()).toBe(want);
  });

  it("backfills older traces through a job, exactly once even when run twice", async () => {
    const job = createBackfillJob({
      ctx: m.ctx,
      input: { experiment_id: exp, scorers: ["length", "json", "ok_only"], start_time_ms: now - 3 * 3_600_000, end_time_ms: now },
    });
    await drainRemote(m);
    expect(getJob({ ctx: m.ctx, input: { job_id: job.job_id } })).toMatchObject({ status: "SUCCEEDED" });
    expect(store.vigilAssessments(exp)).toEqual([...expected(live), ...expected(old)].sort());
    const again = createBackfillJob({ ctx: m.ctx, input: { experiment_id: exp, scorers: ["length"], start_time_ms: now - 3 * 3_600_000, end_time_ms: now } });
    await drainRemote(m);
    expect(getJob({ ctx: m.ctx, input: { job_id: again.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 0 });
    expect(store.vigilAssessments(exp)).toEqual([...expected(live), ...expected(old)].sort());
  });

  it("assesses listed traces, counting ids the store does not have as skipped", async () => {
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "length2", serialized_scorer: serializeBuiltin({ name: "length2", className: "ResponseLength", params: { max: 5 } }) },
    });
    const ids = [old[0]!, live[1]!, "tr-0123456789abcdef0123456789abcdef"];
    const job = createAssessJob({ ctx: m.ctx, input: { experiment_id: exp, scorers: ["length2"], trace_ids: ids } });
    await drainRemote(m);
    expect(getJob({ ctx: m.ctx, input: { job_id: job.job_id } })).toMatchObject({ status: "SUCCEEDED", done: 2, skipped: 1 });
    expect(
      store
        .vigilAssessments(exp)
        .filter((p) => p.endsWith("|length2"))
        .sort(),
    ).toEqual([`${old[0]}|length2`, `${live[1]}|length2`].sort());
  });

  it("leaves to MLflow what MLflow can run when told so, and keeps running what it cannot", async () => {
    setExperimentScoring({ ctx: m.ctx, input: { experiment_id: exp, scored_by: "mlflow" } });
    // A built-in judge MLflow runs itself: Vigil must not score it, and sets its real rate there.
    registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", serialized_scorer: SAFETY } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", sample_rate: 0.5 } });
    const before = store.vigilAssessments(exp);
    // Traces after the switch (which starts the new side at "now"), all inside the scan window.
    m.ctx.now = () => Date.now() + 10_000;
    const later = await seed(6, Date.now() + 500, "later");
    await drainRemote(m, { resync: true });
    expect(store.scorer(exp, "safety")).toMatchObject({ sampleRate: 0.5 });
    // Vigil's own code scorers stay at rate 0 on MLflow (it cannot run them) and Vigil scores them.
    expect(store.scorer(exp, "json")).toMatchObject({ sampleRate: 0 });
    const withSafety = [...SCORERS, { name: "safety", sampleRate: 0.5, filterString: null, serialized: "" }];
    const vigilNames = new Set(SCORERS.map((s) => s.name));
    const laterPairs = [...expectedPairs(later, withSafety, (id) => !errorTraces.has(id))].filter((p) => vigilNames.has(p.split("|")[1]!));
    expect(store.vigilAssessments(exp)).toEqual([...before, ...laterPairs].sort());
    const skipped = m.ctx.db.$client
      .prepare("SELECT COALESCE(SUM(count), 0) FROM engine_funnel WHERE scorer_name = 'safety' AND stage = 'skipped' AND reason = 'mlflow_scores'")
      .pluck()
      .get();
    expect(skipped).toBe([...expectedPairs(later, withSafety, () => true)].filter((p) => p.endsWith("|safety")).length);
    expect(listRemoteExperiments({ ctx: m.ctx, input: {} })[0]).toMatchObject({
      scored_by: "mlflow",
      vigil_runs: ["json", "length", "ok_only"],
      mlflow_runs: ["safety"],
    });

    setExperimentScoring({ ctx: m.ctx, input: { experiment_id: exp, scored_by: "vigil" } });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "safety", sample_rate: 0 } });
    await drainRemote(m, { resync: true });
    expect(store.scorer(exp, "safety")).toMatchObject({ sampleRate: 0 });
  });

  it("deletes on the store what is deleted in Vigil, a version or the whole scorer", async () => {
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "length2", serialized_scorer: serializeBuiltin({ name: "length2", className: "ResponseLength", params: { max: 9 } }) },
    });
    await drainRemote(m);
    expect(store.scorerVersions(exp, "length2")).toEqual([1, 2]);
    deleteScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "length2", version: 1 } });
    await drainRemote(m);
    expect(store.scorerVersions(exp, "length2")).toEqual([2]);
    deleteScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "length2" } });
    await drainRemote(m, { resync: true });
    expect(store.scorerNames(exp)).not.toContain("length2");
    // And it does not come back as an import.
    expect(listScorers({ ctx: m.ctx, input: { experiment_id: exp } }).map((s) => s.name)).not.toContain("length2");
  });

  it("imports a scorer registered on the store by someone else", async () => {
    store.addForeignScorer(
      exp,
      "from_python",
      JSON.stringify({ name: "from_python", call_source: "return 1", call_signature: "(outputs)", original_func_name: "f" }),
    );
    await drainRemote(m, { resync: true });
    const s = getScorer({ ctx: m.ctx, input: { experiment_id: exp, name: "from_python" } });
    expect(s.version).toBe(1);
    // Not pushed back as a second version.
    expect(store.scorer(exp, "from_python").version).toBe(1);
  });
});
