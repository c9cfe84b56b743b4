// The order MLflow's Python exporter really uses (tracing/export/mlflow_v3.py export():
// _export_spans_incrementally -> log_spans, then _export_traces -> start_trace): an evaluation
// run's spans reach /v1/traces, complete the trace, and only then does StartTraceV3 bring
// mlflow.sourceRun. Such a trace must never be scored online, wherever the engine stood when the
// tag landed: before its intake, with pairs queued, or with a judge call in flight.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeBuiltin } from "@/scorers";
import { answer, startFakeJudgeServer, type FakeJudgeServer } from "@/scorers/judges/fake-judge-server";
import { isBusy, pass } from "@/lib/engine/worker";
import { makeTrace, pythonLogSpans, pythonStartTrace, type Http } from "../helpers/mlflow-sdks";
import { startTestServer, type TestServer } from "../helpers/server";
import { addScorer, drain, engine, storedPairs, type Engine } from "./engine.helpers";
import { createExperiment } from "./mlflow.helpers";

let s: TestServer;
let judge: FakeJudgeServer;
let h: Http;
let exp: string;
let en: Engine;
const RUN = { "mlflow.sourceRun": "run-1" };

beforeAll(async () => {
  judge = await startFakeJudgeServer();
  // Slow answers keep a judge call in flight while the test sends StartTraceV3.
  judge.respond(() => ({ body: answer("yes"), delayMs: 300 }));
  s = await startTestServer({ VIGIL_JUDGE_BASE_URL: judge.baseUrl, VIGIL_JUDGE_API_KEY: "sk-test", VIGIL_JUDGE_RPS: "1000" });
  h = { base: s.url };
  exp = await createExperiment(s, "evaluated");
  addScorer(s.ctx, Number(exp), {
    name: "length",
    sampleRate: 1,
    serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 1000 } }),
  });
  en = engine(s.ctx);
});
afterAll(async () => {
  await s.close();
  await judge.close();
});

const scoredTraces = () => new Set(storedPairs(s.ctx, Number(exp)).map((p) => p.split("|")[0]));

describe("mlflow.sourceRun arriving after the spans", () => {
  it("keeps a trace out when the tag lands before the engine's intake", async () => {
    const evalTrace = makeTrace();
    const prodTrace = makeTrace();
    await pythonLogSpans(h, exp, evalTrace);
    await pythonLogSpans(h, exp, prodTrace);
    await pythonStartTrace(h, exp, evalTrace, RUN);
    await pythonStartTrace(h, exp, prodTrace);
    await drain(en);
    expect(scoredTraces().has(evalTrace.traceId)).toBe(false);
    expect(scoredTraces().has(prodTrace.traceId)).toBe(true);
  });

  it("drops the pairs queued for it when the tag lands after the intake, even with a judge call in flight", async () => {
    addScorer(s.ctx, Number(exp), { name: "safety", sampleRate: 1, serialized: serializeBuiltin({ name: "safety", className: "Safety" }) });
    const evalTrace = makeTrace();
    await pythonLogSpans(h, exp, evalTrace);
    // One pass: the intake queues the trace's pairs, the code scorer's is written at once, and
    // the judge's call is sent and still waiting.
    const busy = isBusy(await pass(en.e, en.judges));
    expect(busy).toBe(true);
    const queued = s.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks WHERE trace_id = ?").pluck().get(evalTrace.traceId) as number;
    const written = storedPairs(s.ctx, Number(exp)).filter((p) => p.startsWith(evalTrace.traceId));
    expect([queued, written]).toEqual([1, [`${evalTrace.traceId}|length`]]);
    await pythonStartTrace(h, exp, evalTrace, RUN);
    await en.judges.drain();
    await drain(en);
    expect(s.db.$client.prepare("SELECT COUNT(*) FROM engine_tasks WHERE trace_id = ?").pluck().get(evalTrace.traceId)).toBe(0);
    // The judge answered, but its task was gone; the code scorer's score, written in the same
    // pass as the intake, went with the tag: no online assessment is left on the trace.
    expect(judge.requests.length).toBeGreaterThan(0);
    expect(storedPairs(s.ctx, Number(exp)).filter((p) => p.startsWith(evalTrace.traceId))).toEqual([]);
  });
});
