// The dashboard's trace verbs in remote mode: they read the MLflow server's traces through the
// backend that MLFLOW_TRACKING_URI selects, and say so clearly when that server does not answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, UpstreamUnavailableError } from "@/lib/core";
import { getTraceDetail, parseTraceQueryState, searchTracePage } from "@/lib/read";
import { getRemoteStatus, listRemoteExperiments } from "@/lib/remote";
import { startTestServer, type TestServer } from "../helpers/server";
import { seedTraces } from "./mlflow.helpers";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";
import { MlflowClient } from "@/lib/mlflow/client";

let store: TestServer;
let m: Monitor;
let exp: string;
let ids: string[];

beforeAll(async () => {
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  const client = new MlflowClient({ trackingUri: store.url });
  exp = await client.createExperiment("browsed");
  await client.createExperiment("other");
  ids = await seedTraces(
    store.ctx,
    Number(exp),
    Array.from({ length: 5 }, (_, i) => ({ startMs: Date.now() - 60_000 + i * 1000, inputs: { q: `q${i}` } })),
  );
  // The monitor is configured exactly as `npm start` would be in remote mode.
  m = startMonitor(null, { MLFLOW_TRACKING_URI: store.url, VIGIL_REMOTE_TIMEOUT_MS: "500", VIGIL_REMOTE_MAX_ATTEMPTS: "1" });
  await drainRemote(m);
});
afterAll(async () => {
  m.close();
  await store.close();
});

describe("dashboard verbs in remote mode", () => {
  it("lists the linked experiments with who scores them", () => {
    const names = listRemoteExperiments({ ctx: m.ctx, input: {} }).map((e) => [e.name, e.scored_by]);
    expect(names).toEqual(
      expect.arrayContaining([
        ["browsed", "vigil"],
        ["other", "vigil"],
        ["Default", "vigil"],
      ]),
    );
  });

  it("pages the server's traces, newest first", async () => {
    const page = await searchTracePage({ ctx: m.ctx, input: { experimentId: exp, state: parseTraceQueryState({ range: "24h", size: "25" }) } });
    expect(page.traces.map((t) => t.trace_id)).toEqual([...ids].reverse());
    expect(getRemoteStatus({ ctx: m.ctx, input: {} })).toMatchObject({ mode: "remote", reachable: true, trackingUri: store.url });
  });

  it("opens a trace with its spans, and not under another experiment's URL", async () => {
    const d = await getTraceDetail({ ctx: m.ctx, input: { experimentId: exp, traceId: ids[2]! } });
    expect(d.info.request).toEqual({ q: "q2" });
    expect(d.spans).toHaveLength(2);
    const other = listRemoteExperiments({ ctx: m.ctx, input: {} }).find((e) => e.name === "other")!;
    await expect(getTraceDetail({ ctx: m.ctx, input: { experimentId: other.experiment_id, traceId: ids[2]! } })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("unlinks an experiment deleted on MLflow, and links it again when it is restored", async () => {
    const other = listRemoteExperiments({ ctx: m.ctx, input: {} }).find((e) => e.name === "other")!;
    const client = new MlflowClient({ trackingUri: store.url });
    await client.searchExperiments(); // the store answers
    await fetch(`${store.url}/api/2.0/mlflow/experiments/delete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ experiment_id: other.experiment_id }),
    });
    await drainRemote(m, { resync: true });
    expect(listRemoteExperiments({ ctx: m.ctx, input: {} }).map((e) => e.name)).not.toContain("other");
    expect(m.ctx.db.$client.prepare("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?").pluck().get(Number(other.experiment_id))).toBe(
      "deleted",
    );
    await fetch(`${store.url}/api/2.0/mlflow/experiments/restore`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ experiment_id: other.experiment_id }),
    });
    await drainRemote(m, { resync: true });
    expect(listRemoteExperiments({ ctx: m.ctx, input: {} }).find((e) => e.name === "other")).toMatchObject({ experiment_id: other.experiment_id });
  });

  it("says MLflow is unreachable when it stops answering", async () => {
    const down = { ...m.ctx, config: { ...m.ctx.config, MLFLOW_TRACKING_URI: "http://127.0.0.1:9" } };
    await expect(searchTracePage({ ctx: down, input: { experimentId: exp, state: parseTraceQueryState({}) } })).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
    expect(getRemoteStatus({ ctx: m.ctx, input: {} })).toMatchObject({
      reachable: false,
      lastError: expect.stringMatching(/127\.0\.0\.1:9|ECONNREFUSED|fetch failed/),
    });
  });
});
