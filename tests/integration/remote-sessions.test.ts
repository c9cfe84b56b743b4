// Session scoring in remote mode, against a Vigil acting as the MLflow server and against the
// MLflow fixture built from MLflow's source, through a proxy that can fail: a conversation whose
// turns arrive minutes apart is scored once after the buffer, on its first trace with MLflow's
// session metadata; a late turn makes it scored again, the older verdict overridden (valid =
// false) rather than deleted; MLflow down or losing answers mid-write delays the verdict and never
// doubles it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import { MlflowClient } from "@/lib/mlflow/client";
import { discardShadow, registerScorer, registerShadow, setOnlineConfig } from "@/lib/monitoring";
import { setExperimentScoring } from "@/lib/remote";
import { localExperimentId } from "@/lib/remote/linked";
import { ONLINE_SESSION_ID_KEY, serializeBuiltin, serializeVigilModule } from "@/scorers";
import { startFaultProxy, type Fault, type FaultProxy } from "../helpers/fault-proxy";
import { startStore, type ContractStore, type StoreKind } from "../helpers/mlflow-stores";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";
import { turnOf, verdictsOn } from "./remote-sessions.helpers";

const MIN = 60_000;

describe.each<StoreKind>(["vigil", "mlflow"])("session scorers in remote mode against a %s server", (kind) => {
  let store: ContractStore;
  let proxy: FaultProxy;
  let m: Monitor;
  let exp: string;
  /** A second linked experiment, holding a session id the first one uses too. */
  let exp2: string;
  let clock = Date.now() - 60 * MIN;
  const ask = async (session: string, question: string, offsetMs = 0) => (await store.seed(exp, [turnOf(session, clock + offsetMs, question)]))[0]!;
  const rq = () => verdictsOn(store, exp, "rq");
  const ofSession = (sid: string) => rq().filter((v) => v.metadata[ONLINE_SESSION_ID_KEY] === sid);
  /** Not scored: the session holds the reason, and the funnel counts it once as skipped. */
  const expectSkipped = (sid: string, reason: string) => {
    expect(ofSession(sid)).toEqual([]);
    expect(m.ctx.db.$client.prepare("SELECT skip_reason FROM engine_sessions WHERE session_id = ?").pluck().get(sid)).toBe(reason);
    const skipped = m.ctx.db.$client
      .prepare("SELECT SUM(count) FROM engine_funnel WHERE scorer_name = 'rq' AND stage = 'skipped' AND reason = ?")
      .pluck()
      .get(reason);
    expect(skipped).toBe(1);
  };

  beforeAll(async () => {
    store = await startStore(kind);
    proxy = await startFaultProxy(store.url);
    exp = await new MlflowClient({ trackingUri: store.url }).createExperiment("conversations");
    exp2 = await new MlflowClient({ trackingUri: store.url }).createExperiment("conversations-2");
    m = startMonitor(remoteBackend(new MlflowClient({ trackingUri: proxy.url, timeoutMs: 500, maxAttempts: 2, minBackoffMs: 1, maxBackoffMs: 5 })), {
      VIGIL_REMOTE_EXPERIMENTS: "conversations,conversations-2",
    });
    // The test's clock moves in minutes; real time passing moves it too, so retries fall due.
    const t0 = Date.now();
    m.ctx.now = () => clock + (Date.now() - t0);
    await drainRemote(m);
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "rq", serialized_scorer: serializeVigilModule({ name: "rq", module: "repeated-question" }) },
    });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "rq", sample_rate: 1 } });
    await drainRemote(m, { resync: true });
  });
  afterAll(async () => {
    m.close();
    await proxy.close();
    await store.close();
  });

  let first: string;
  it("scores a conversation once, after the completion buffer, on its first trace with MLflow's session metadata", async () => {
    first = await ask("conv-1", "where is my parcel 42?");
    clock += 2 * MIN;
    await ask("conv-1", "and when does it arrive?");
    clock += 4 * MIN; // 4 minutes after the last turn: not complete yet
    await drainRemote(m);
    expect(rq()).toEqual([]);
    clock += 2 * MIN;
    await drainRemote(m);
    expect(rq()).toMatchObject([{ traceId: first, value: "yes", valid: true, overrides: null }]);
    expect(rq()[0]!.metadata).toMatchObject({
      [ONLINE_SESSION_ID_KEY]: "conv-1",
      "mlflow.trace.session": "conv-1",
      "vigil.session.turns": "2",
      "vigil.scorer_version": "1",
    });
    await drainRemote(m, { resync: true });
    expect(rq()).toHaveLength(1);
    expect(m.ctx.db.$client.prepare("SELECT session_id FROM engine_session_checkpoints").pluck().all()).toEqual(["conv-1"]);
  });

  it("scores it again when a late turn joins, the older verdict overridden and marked invalid, not deleted", async () => {
    clock += 20 * MIN;
    await ask("conv-1", "where is my parcel 42?"); // repeats turn 1
    clock += 3 * MIN;
    await drainRemote(m);
    expect(rq()).toHaveLength(1);
    clock += 3 * MIN;
    await drainRemote(m);
    const [old, cur] = rq();
    expect(rq()).toHaveLength(2);
    expect(old).toMatchObject({ traceId: first, value: "yes", valid: false });
    expect(cur).toMatchObject({ traceId: first, value: "no", valid: true, overrides: old!.id });
    expect(cur!.metadata["vigil.session.turns"]).toBe("3");
    // Vigil's read models count the current verdict only.
    expect(m.ctx.db.$client.prepare("SELECT assessment_id, value FROM remote_scored WHERE name = 'rq'").all()).toEqual([
      { assessment_id: cur!.id, value: JSON.stringify("no") },
    ]);
    expect(m.ctx.db.$client.prepare("SELECT assessment_id FROM metric_points WHERE scorer_name = 'rq'").pluck().all()).toEqual([cur!.id]);
  });

  it("waits while MLflow is down and writes the verdict once it is back", async () => {
    clock += 10 * MIN;
    await ask("conv-2", "hello");
    clock += 6 * MIN;
    proxy.setPolicy(({ method, path }): Fault => (method === "POST" && path.includes("/assessments") ? { kind: "status", status: 503 } : { kind: "pass" }));
    const r = await drainRemote(m, { tolerate: true, maxPasses: 6 }).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error); // never idle: the verdict still waits
    expect(ofSession("conv-2")).toEqual([]);
    expect(m.ctx.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks WHERE session_id = 'conv-2'").pluck().get()).toBe(1);
    proxy.setPolicy(() => ({ kind: "pass" }));
    await drainRemote(m);
    expect(ofSession("conv-2")).toMatchObject([{ valid: true, value: "yes" }]);
  });

  it("writes a verdict once when MLflow applied the write but the answer was lost, even when a re-score overrides", async () => {
    clock += 10 * MIN;
    await ask("conv-3", "first question");
    await ask("conv-3", "second question", 1000);
    clock += 6 * MIN;
    let creates = 0;
    proxy.setPolicy(({ method, path }): Fault => {
      if (method !== "POST" || !path.includes("/assessments")) return { kind: "pass" };
      creates++;
      return creates === 1 ? { kind: "drop_after_forward" } : { kind: "pass" };
    });
    await drainRemote(m, { tolerate: true });
    // The create landed without an answer; the retry found it on the trace instead of writing again.
    expect(creates).toBe(1);
    expect(ofSession("conv-3")).toMatchObject([{ valid: true, value: "yes" }]);
    clock += 10 * MIN;
    await ask("conv-3", "first question");
    clock += 6 * MIN;
    creates = 0;
    await drainRemote(m, { tolerate: true });
    expect(creates).toBe(1);
    proxy.setPolicy(() => ({ kind: "pass" }));
    await drainRemote(m, { resync: true });
    const [old, cur] = ofSession("conv-3");
    expect(ofSession("conv-3")).toHaveLength(2);
    expect(old).toMatchObject({ valid: false, value: "yes" });
    expect(cur).toMatchObject({ valid: true, value: "no", overrides: old!.id });
    expect(m.ctx.db.$client.prepare("SELECT turns FROM engine_session_scores WHERE session_id = 'conv-3' ORDER BY created_at").pluck().all()).toEqual([2, 3]);
    expect(m.ctx.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks").pluck().get()).toBe(0);
  });

  it("records a session MLflow's search cannot select (both quote characters in its id) as skipped, with its reason", async () => {
    clock += 10 * MIN;
    const odd = `it's "odd"`;
    await ask(odd, "hello");
    clock += 6 * MIN;
    await drainRemote(m);
    expectSkipped(odd, "session_id_unsearchable");
  });

  it("does not score a session id over 250 characters: the session is recorded as skipped with its reason, its turns kept", async () => {
    clock += 10 * MIN;
    const long = `c-${"x".repeat(260)}`;
    const turn = await ask(long, "hello there, is anyone around?");
    clock += 6 * MIN;
    await drainRemote(m);
    expectSkipped(long, "session_id_too_long");
    expect((await new MlflowClient({ trackingUri: store.url }).getTraceInfo(turn)).trace_id).toBe(turn);
  });

  it("orders turns by their timestamp: a turn logged after another but that happened first is the first turn", async () => {
    clock += 10 * MIN;
    await ask("conv-late", "and when does it arrive?");
    const earlier = await ask("conv-late", "where is my parcel 42?", -MIN); // logged second, happened a minute before
    clock += 6 * MIN;
    await drainRemote(m);
    expect(ofSession("conv-late")).toMatchObject([{ traceId: earlier, value: "yes", valid: true }]);
    expect(ofSession("conv-late")[0]!.metadata["vigil.session.turns"]).toBe("2");
  });

  it("treats one session id in two experiments as two sessions, each scored in its own experiment", async () => {
    const local2 = String(localExperimentId(m.ctx.db, exp2));
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: local2, name: "rq", serialized_scorer: serializeVigilModule({ name: "rq", module: "repeated-question" }) },
    });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: local2, name: "rq", sample_rate: 1 } });
    await drainRemote(m, { resync: true });
    clock += 10 * MIN;
    const inFirst = await ask("shared", "where is my parcel 42?");
    const inSecond = await store.seed(exp2, [turnOf("shared", clock, "where is my parcel 42?"), turnOf("shared", clock + 1000, "where is my parcel 42?")]);
    clock += 6 * MIN;
    await drainRemote(m);
    expect(ofSession("shared")).toMatchObject([{ traceId: inFirst, value: "yes", valid: true }]);
    expect(verdictsOn(store, exp2, "rq").filter((v) => v.metadata[ONLINE_SESSION_ID_KEY] === "shared")).toMatchObject([
      { traceId: inSecond[0], value: "no", valid: true },
    ]);
    const sessions = m.ctx.db.$client.prepare("SELECT experiment_id, turns FROM engine_sessions WHERE session_id = 'shared' ORDER BY experiment_id").all();
    expect(sessions).toHaveLength(2);
    expect(sessions).toEqual(expect.arrayContaining([{ experiment_id: Number(local2), turns: 2 }]));
  });

  it("scores a shadow version on the same sessions, its verdict marked and kept apart from the live one on MLflow", async () => {
    const v2 = serializeVigilModule({ name: "rq", module: "repeated-question", params: { min_chars: 1000 } });
    expect(registerShadow({ ctx: m.ctx, input: { experiment_id: exp, name: "rq", serialized_scorer: v2 } })).toMatchObject({ version: 2, state: "shadow" });
    clock += 10 * MIN;
    const at = await ask("conv-shadow", "where is my parcel 42?");
    await ask("conv-shadow", "where is my parcel 42?", 1000);
    clock += 6 * MIN;
    await drainRemote(m);
    const byVersion = (v: string) => ofSession("conv-shadow").filter((x) => x.metadata["vigil.scorer_version"] === v);
    expect(byVersion("1")).toMatchObject([{ traceId: at, value: "no", valid: true, overrides: null }]);
    expect(byVersion("2")).toMatchObject([{ traceId: at, value: "yes", valid: true, overrides: null }]);
    expect(byVersion("2")[0]!.metadata["vigil.shadow"]).toBe("true");
    // Only the live verdict reaches Vigil's trend points.
    const points = m.ctx.db.$client.prepare("SELECT assessment_id FROM metric_points WHERE scorer_name = 'rq' AND scorer_version = 2").pluck().all();
    expect(points).toEqual([]);
    // A late turn: each line overrides its own verdict only.
    clock += MIN;
    await ask("conv-shadow", "one more thing, please", 2000);
    clock += 6 * MIN;
    await drainRemote(m);
    for (const v of ["1", "2"]) {
      const [old, cur] = byVersion(v);
      expect(old).toMatchObject({ valid: false });
      expect(cur).toMatchObject({ valid: true, overrides: old!.id });
    }
    discardShadow({ ctx: m.ctx, input: { experiment_id: exp, name: "rq", version: 2 } });
  });

  it("leaves a session judge to MLflow's scheduler where MLflow scores the experiment, counting it as such", async () => {
    registerScorer({
      ctx: m.ctx,
      input: { experiment_id: exp, name: "uf", serialized_scorer: serializeBuiltin({ name: "uf", className: "UserFrustration" }) },
    });
    setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "uf", sample_rate: 1 } });
    setExperimentScoring({ ctx: m.ctx, input: { experiment_id: Number(exp), scored_by: "mlflow" } });
    await drainRemote(m, { resync: true });
    clock += 10 * MIN;
    await ask("conv-4", "where is my parcel?");
    clock += 6 * MIN;
    await drainRemote(m);
    expect(verdictsOn(store, exp, "uf")).toEqual([]);
    // Vigil's own TypeScript scorer still runs: MLflow cannot.
    expect(ofSession("conv-4")).toMatchObject([{ valid: true, value: "yes" }]);
    const skipped = m.ctx.db.$client
      .prepare("SELECT SUM(count) FROM engine_funnel WHERE scorer_name = 'uf' AND stage = 'skipped' AND reason = 'mlflow_scores'")
      .pluck()
      .get();
    expect(skipped).toBe(1);
    setExperimentScoring({ ctx: m.ctx, input: { experiment_id: Number(exp), scored_by: "vigil" } });
  });
});
