// MLflow's TypeScript SDK against Vigil: what MlflowClient.getTrace reads back (its requests and
// its parsing, replayed in tests/helpers/mlflow-ts-sdk.ts) is what the SDK sent, for traces it
// logged itself (createTrace + traces.json upload) and for traces MLflow's Python client logged
// by /v1/traces; an unknown trace fails the way the SDK fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, pythonLogTrace, typescriptLogTrace, typescriptTraceDataJson, type Http, type SdkTrace } from "../helpers/mlflow-sdks";
import { tsGetTrace, tsTraceDataFromJson, type TsSpan } from "../helpers/mlflow-ts-sdk";
import { startTestServer, type TestServer } from "../helpers/server";
import { createExperiment } from "./mlflow.helpers";

let s: TestServer;
let h: Http;
let exp: string;

beforeAll(async () => {
  s = await startTestServer();
  h = { base: s.url };
  exp = await createExperiment(s, "ts-sdk");
});
afterAll(() => s.close());

const bySpan = (a: TsSpan, b: TsSpan) => (a.spanId < b.spanId ? -1 : 1);
const hr = (ns: bigint): [number, number] => [Math.floor(Number(ns) / 1e9), Number(ns) % 1e9];

/** What the user put on each span, as the getters give it. */
function userView(t: SdkTrace) {
  return t.spans
    .map((sp) => ({
      traceId: t.traceId,
      spanId: sp.spanId,
      parentId: sp.parentId,
      name: sp.name,
      spanType: sp.spanType,
      inputs: sp.inputs,
      outputs: sp.outputs,
      startTime: hr(sp.startNs),
      endTime: hr(sp.endNs),
      statusCode: "STATUS_CODE_OK",
      attributes: {
        "mlflow.traceRequestId": t.traceId,
        "mlflow.spanType": sp.spanType,
        "mlflow.spanInputs": sp.inputs,
        "mlflow.spanOutputs": sp.outputs,
        ...(sp.attributes ?? {}),
      },
    }))
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1));
}

const rootOf = (t: SdkTrace) => t.spans.find((x) => x.parentId === null)!;

describe("MlflowClient.getTrace (TypeScript SDK) through Vigil", () => {
  it("reads back a trace it logged as it reads its own upload, with the user's values", async () => {
    const t = makeTrace({ inputs: { question: "Is 007 a string?", id: "007", nested: { ok: true, n: 1.5 } }, outputs: ["a", 2, null] });
    await typescriptLogTrace(h, exp, t);
    const got = await tsGetTrace(h, t.traceId);
    // The same parse of the traces.json it uploaded: nothing changed on the way through Vigil.
    const own = tsTraceDataFromJson(JSON.parse(typescriptTraceDataJson(t)));
    expect(got.spans.sort(bySpan)).toEqual(own.sort(bySpan));
    expect(got.spans.sort(bySpan)).toMatchObject(userView(t));
    const root = rootOf(t);
    expect(got.info).toMatchObject({
      traceId: t.traceId,
      experimentId: exp,
      state: "OK",
      requestTime: Number(root.startNs / 1_000_000n),
      executionDuration: Number((root.endNs - root.startNs) / 1_000_000n),
      tags: { "mlflow.artifactLocation": `mlflow-artifacts:/${exp}/traces/${t.traceId}/artifacts` },
    });
  });

  it("reads a trace MLflow's Python client logged by /v1/traces, decoded (Vigil writes JSON text, the getters parse it)", async () => {
    const t = makeTrace({ outputs: '{"answer": 42}' });
    expect((await pythonLogTrace(h, exp, t)).path).toBe("otlp");
    const got = await tsGetTrace(h, t.traceId);
    expect(got.spans.sort(bySpan)).toMatchObject(userView(t));
    // A string output that looks like JSON is JSON text of a string on the wire, so it stays a string.
    expect(got.spans.find((x) => x.parentId === null)!.outputs).toBe('{"answer": 42}');
  });

  it("fails on an unknown trace as the SDK does, with MLflow's error body", async () => {
    await expect(tsGetTrace(h, "tr-00000000000000000000000000000000")).rejects.toThrow(
      /^API request failed: HTTP 404: Not Found - .*"error_code": ?"RESOURCE_DOES_NOT_EXIST"/,
    );
  });
});
