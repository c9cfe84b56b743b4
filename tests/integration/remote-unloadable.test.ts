// Traces remote mode cannot load yet (spans not fully exported to MLflow's tracking store, no
// traces.json uploaded, a traces.json that does not parse) are never scored: online scoring waits
// on them, and the experiment's row in the remote status says how many and why, until they load.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { listRemoteExperiments } from "@/lib/remote";
import { serializeBuiltin } from "@/scorers";
import { startMlflowFixture, type MlflowFixture } from "../helpers/mlflow-fixture";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";

let f: MlflowFixture;
let m: Monitor;
let exp: string;
const now = Date.now();
/** Engine passes until idle; a pass that met unloadable traces fails (the work waits), so a few are enough. */
const passes = () => drainRemote(m, { resync: true, tolerate: true, maxPasses: 6 }).catch(() => undefined);
const scored = () =>
  [...f.state.traces.values()]
    .filter((t) => t.assessments.length > 0)
    .map((t) => t.traceId)
    .sort();

beforeAll(async () => {
  f = await startMlflowFixture();
  const client = new MlflowClient({ trackingUri: f.url, minBackoffMs: 1, maxBackoffMs: 5 });
  exp = await client.createExperiment("waiting");
  m = startMonitor(remoteBackend(client), { VIGIL_REMOTE_EXPERIMENTS: "waiting" });
  await drainRemote(m);
  registerScorer({
    ctx: m.ctx,
    input: { experiment_id: exp, name: "length", serialized_scorer: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }) },
  });
  setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "length", sample_rate: 1 } });
});
afterAll(async () => {
  m.close();
  await f.close();
});

describe("traces whose spans cannot be read yet", () => {
  let ids: string[];

  it("are not scored, nor anything after them, and the experiment says how many and why", async () => {
    ids = f.seedTraces(exp, [
      { startMs: now - 60_000, spansIn: "tracking_store" },
      { startMs: now - 59_000, spansIn: "tracking_store", partial: true },
      { startMs: now - 58_000, spansIn: "artifact_ts", partial: true },
      { startMs: now - 57_000, spansIn: "artifact_python" },
    ]);
    await passes();
    expect(scored()).toEqual([]);
    const [e] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    expect(e).toMatchObject({ unloadable_traces: 2, unloadable_at: expect.any(Number) });
    expect(e!.unloadable_reason).toMatch(new RegExp(`^${ids[1]}: MLflow's batchGet did not return its spans \\(not fully exported yet\\)`));
  });

  it("names a traces.json that does not parse", async () => {
    f.uploadLater(ids[1]!, "python");
    f.state.artifacts.set(f.state.tracesJsonPath(f.state.traces.get(ids[2]!)!), '{"spans": [');
    await passes();
    expect(scored()).toEqual([]);
    const [e] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    expect(e).toMatchObject({ unloadable_traces: 1, unloadable_reason: expect.stringMatching(new RegExp(`^${ids[2]}: its traces.json does not parse`)) });
  });

  it("are scored once they load, and the count clears", async () => {
    f.uploadLater(ids[2]!, "ts");
    await drainRemote(m);
    expect(scored()).toEqual([...ids].sort());
    expect(listRemoteExperiments({ ctx: m.ctx, input: {} })[0]).toMatchObject({
      unloadable_traces: 0,
      unloadable_reason: expect.stringMatching(/does not parse/),
    });
  });
});
