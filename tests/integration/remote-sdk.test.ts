// Remote mode end to end with clients no one here wrote: a Vercel AI SDK agent's telemetry goes
// through the OpenTelemetry SDK's protobuf exporter into a Vigil acting as the MLflow server, and
// the monitoring Vigil reads that trace over REST, scores what the agent answered, and writes the
// assessments back onto it.
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteBackend } from "@/lib/backend/remote";
import { MlflowClient } from "@/lib/mlflow/client";
import { registerScorer, setOnlineConfig } from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { EXPORT_SUCCESS, mockModel, startSdk, type TestSdk } from "./otlp.helpers";
import { drainRemote, startMonitor, type Monitor } from "./remote.helpers";

let store: TestServer;
let m: Monitor;
let exp: string;
let otel: TestSdk;

beforeAll(async () => {
  store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
  const client = new MlflowClient({ trackingUri: store.url });
  exp = await client.createExperiment("ai-sdk-agent");
  m = startMonitor(remoteBackend(client), { VIGIL_REMOTE_EXPERIMENTS: "ai-sdk-agent" });
  await drainRemote(m);
  registerScorer({
    ctx: m.ctx,
    input: { experiment_id: exp, name: "length", serialized_scorer: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 20 } }) },
  });
  setOnlineConfig({ ctx: m.ctx, input: { experiment_id: exp, name: "length", sample_rate: 1 } });
  await drainRemote(m);
  otel = startSdk({ baseUrl: store.url, encoding: "protobuf", gzip: true, experimentId: exp });
});
afterAll(async () => {
  await otel.shutdown();
  m.close();
  await store.close();
});

describe("remote mode with the AI SDK and the OpenTelemetry exporter as clients", () => {
  it("scores the agent's answer as MLflow holds it and writes the result onto its trace", async () => {
    const model = mockModel("The incident was a stale cache.");
    await generateText({ model, prompt: "Summarize the incident.", experimental_telemetry: { isEnabled: true, tracer: otel.tracer, functionId: "incident" } });
    await otel.flush();
    expect(otel.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS]);

    await drainRemote(m);
    const client = new MlflowClient({ trackingUri: store.url });
    const [info] = (await client.searchTraces({ experimentIds: [exp] })).traces;
    const ours = info!.assessments.filter((a) => a.metadata?.["vigil.scorer_id"]);
    expect(ours).toHaveLength(1);
    // "The incident was a stale cache." is 31 characters: over the scorer's maximum of 20.
    expect(ours[0]).toMatchObject({ assessment_name: "length", source: { source_type: "CODE" }, feedback: { value: "no" } });
    expect(ours[0]!.rationale).toMatch(/31 characters/);
  });
});
