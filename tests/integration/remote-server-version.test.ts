// Remote mode asks GET /version at link time and adapts, against the MLflow fixture reporting
// different versions: from 3.9 MLflow has online scoring and may score an experiment; before it
// (and on a server without /version, treated as old) Vigil scores every scorer, never calls the
// online-config routes, refuses to hand scoring to MLflow, and says why in its remote status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidStateError } from "@/lib/core";
import { remoteBackend } from "@/lib/backend/remote";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { getRemoteStatus, listRemoteExperiments, setExperimentScoring } from "@/lib/remote";
import { serializeBuiltin } from "@/scorers";
import { answer, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { startMlflowFixture, type MlflowFixture } from "../helpers/mlflow-fixture";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";

const SAFETY = serializeBuiltin({ name: "safety", className: "Safety", params: { model: "gateway:/judge" } });
const LENGTH = serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } });

describe.each([
  { version: "3.11.0", onlineScoring: true, note: null },
  { version: "3.8.2", onlineScoring: false, note: /MLflow 3\.8\.2 predates 3\.9 and has no online scoring/ },
  { version: "3.3.1", onlineScoring: false, note: /MLflow 3\.3\.1 predates 3\.4: no online scoring and no \/v1\/traces/ },
  { version: null, onlineScoring: false, note: /no GET \/version \(404\): treated as a server older than 3\.4/ },
])("an MLflow server reporting version $version", ({ version, onlineScoring, note }) => {
  let f: MlflowFixture;
  let judge: FakeJudgeServer;
  let m: Monitor;
  let exp: string;
  const now = Date.now();

  beforeAll(async () => {
    f = await startMlflowFixture({ version });
    judge = await startFakeJudgeServer();
    judge.respond(() => ({ body: answer("yes") }));
    const client = new MlflowClient({ trackingUri: f.url, minBackoffMs: 1, maxBackoffMs: 5 });
    exp = await client.createExperiment("versioned");
    m = startMonitor(remoteBackend(client), {
      MLFLOW_TRACKING_URI: f.url,
      VIGIL_REMOTE_EXPERIMENTS: "versioned",
      VIGIL_REMOTE_SCORED_BY: "mlflow",
      VIGIL_JUDGE_BASE_URL: judge.baseUrl,
      VIGIL_JUDGE_API_KEY: "sk-test",
      VIGIL_JUDGE_RPS: "1000",
    });
    await drainRemote(m);
    for (const [name, serialized] of [
      ["safety", SAFETY],
      ["length", LENGTH],
    ] as const) {
      registerScorer({ ctx: m.ctx, input: { experiment_id: exp, name, serialized_scorer: serialized } });
      setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name, sample_rate: 1 } });
    }
    f.seedTraces(
      exp,
      Array.from({ length: 6 }, (_, i) => ({ startMs: now - 10 * 60_000 + i * 1000 })),
    );
    await drainRemote(m, { resync: true });
  });
  afterAll(async () => {
    m.close();
    await judge.close();
    await f.close();
  });

  it("records the version and what it changes in the remote status", () => {
    const s = getRemoteStatus({ ctx: m.ctx, input: {} });
    expect(s.serverVersion).toBe(version);
    if (note) expect(s.serverNote).toMatch(note);
    else expect(s.serverNote).toBeNull();
    expect(f.requests).toContain("GET /version");
  });

  it("leaves to MLflow what it can run only when it has online scoring", () => {
    const [e] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    if (onlineScoring) {
      expect(e).toMatchObject({ scored_by: "mlflow", mlflow_runs: ["safety"], vigil_runs: ["length"], scoring_note: null });
      expect(f.state.scorers.find((s) => s.name === "safety")!.config).toMatchObject({ sample_rate: 1 });
    } else {
      expect(e).toMatchObject({ scored_by: "vigil", mlflow_runs: [], vigil_runs: ["length", "safety"], scoring_note: expect.stringMatching(note!) });
      expect(f.requests.filter((r) => r.includes("/scorers/online-config"))).toEqual([]);
    }
  });

  it("scores with Vigil what MLflow cannot", () => {
    const names = [...f.state.traces.values()].flatMap((t) => t.assessments.map((a) => a.assessment_name));
    expect(names.filter((n) => n === "length")).toHaveLength(6);
    expect(names.filter((n) => n === "safety")).toHaveLength(onlineScoring ? 0 : 6);
  });

  it("refuses to hand scoring to MLflow when it has no online scoring", () => {
    setExperimentScoring({ ctx: m.ctx, input: { experiment_id: exp, scored_by: "vigil" } });
    const toMlflow = () => setExperimentScoring({ ctx: m.ctx, input: { experiment_id: exp, scored_by: "mlflow" } });
    if (onlineScoring) expect(toMlflow()).toMatchObject({ scored_by: "mlflow" });
    else expect(toMlflow).toThrow(InvalidStateError);
  });
});
