// Importing scorers registered on MLflow by others: one Vigil refuses is reported on the
// experiment, and the rest are imported and scored all the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedBackend } from "@/lib/backend/embedded";
import type { MlflowBackend } from "@/lib/backend/types";
import { listScorers, registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { listRemoteExperiments } from "@/lib/remote";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";

let store: TestServer;
let m: Monitor;
let exp: string;

beforeAll(async () => {
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  const inner = embeddedBackend(store.ctx);
  exp = await inner.createExperiment("imports");
  registerScorer({
    ctx: store.ctx,
    input: { experiment_id: exp, name: "fine", serialized_scorer: serializeBuiltin({ name: "fine", className: "JsonValid" }) },
  });
  setOnlineConfig({ ctx: store.ctx, input: { experiment_id: exp, name: "fine", sample_rate: 0.5 } });
  // An MLflow that also lists a scorer under a name Vigil does not accept.
  const backend: MlflowBackend = {
    ...inner,
    listScorers: async (id) => [
      ...(await inner.listScorers(id)),
      {
        experiment_id: id,
        scorer_name: "bad.name",
        scorer_version: 1,
        serialized_scorer: serializeBuiltin({ name: "x", className: "JsonValid" }),
        scorer_id: "sc-bad",
      },
    ],
  };
  m = startMonitor(backend, { VIGIL_REMOTE_EXPERIMENTS: "imports" });
  await drainRemote(m);
});
afterAll(async () => {
  m.close();
  await store.close();
});

describe("importing MLflow's scorers", () => {
  it("imports what it can, with MLflow's rate, and says which one it refused and why", () => {
    expect(listScorers({ ctx: m.ctx, input: { experiment_id: exp } }).map((s) => [s.name, s.sampleRate])).toEqual([["fine", 0.5]]);
    const [link] = listRemoteExperiments({ ctx: m.ctx, input: {} });
    expect(link).toMatchObject({ scored_by: "mlflow", last_error: expect.stringMatching(/could not import from MLflow: 'bad\.name': /) });
  });
});
