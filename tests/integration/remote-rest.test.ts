// The remote-mode REST surface of a monitoring Vigil (its own HTTP server, MLFLOW_TRACKING_URI
// pointing at a second Vigil): connection state, linked experiments, and choosing who scores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor } from "@/lib/runtime/engine-store";
import { MlflowClient } from "@/lib/mlflow/client";
import { backendFor, makeRemoteCtx, syncRemoteExperiments } from "@/lib/remote";
import { startTestServer, type TestServer } from "../helpers/server";
import { api } from "./mlflow.helpers";

let store: TestServer;
let monitor: TestServer;
let exp: string;

beforeAll(async () => {
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  exp = await new MlflowClient({ trackingUri: store.url }).createExperiment("over-rest");
  // The monitor signs in to the store with Basic auth, from user and password in the URI.
  await api(store, "POST", "/api/v1/users", { username: "vigil", password: "s3cret-long-pw", role: "admin" });
  monitor = await startTestServer({
    VIGIL_ANONYMOUS_ROLE: "admin",
    MLFLOW_TRACKING_URI: `http://vigil:s3cret-long-pw@${store.url.slice("http://".length)}`,
    VIGIL_REMOTE_EXPERIMENTS: "over-rest",
  });
  await syncRemoteExperiments(makeRemoteCtx(engineFor(monitor.ctx), backendFor(monitor.ctx)));
});
afterAll(async () => {
  await monitor.close();
  await store.close();
});

describe("/api/v1/remote", () => {
  it("shows the connection without credentials, and the linked experiments", async () => {
    const r = await api(monitor, "GET", "/api/v1/remote");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mode: "remote", reachable: true, trackingUri: store.url });
    expect(JSON.stringify(r.json)).not.toContain("s3cret");
    expect(r.json.experiments).toEqual([
      expect.objectContaining({ experiment_id: exp, name: "over-rest", scored_by: "vigil", vigil_runs: [], mlflow_runs: [] }),
    ]);
  });

  it("switches who scores, and says why it refuses", async () => {
    const ok = await api(monitor, "POST", `/api/v1/remote/experiments/${exp}/scored-by`, { scored_by: "mlflow" });
    expect(ok).toMatchObject({ status: 200, json: { experiment_id: exp, scored_by: "mlflow" } });
    expect((await api(monitor, "GET", "/api/v1/remote")).json.experiments[0].scored_by).toBe("mlflow");
    const bad = await api(monitor, "POST", `/api/v1/remote/experiments/${exp}/scored-by`, { scored_by: "both" });
    expect(bad).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/vigil.*mlflow/) } });
    const unknown = await api(monitor, "POST", "/api/v1/remote/experiments/424242/scored-by", { scored_by: "vigil" });
    expect(unknown).toMatchObject({ status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
  });

  it("answers embedded mode on a Vigil without MLFLOW_TRACKING_URI", async () => {
    expect((await api(store, "GET", "/api/v1/remote")).json).toEqual({
      mode: "embedded",
      trackingUri: null,
      reachable: null,
      lastOkAt: null,
      lastErrorAt: null,
      lastError: null,
      serverVersion: null,
      serverNote: null,
      experiments: [],
    });
  });
});
