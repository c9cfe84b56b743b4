import { SpanStatusCode, context, trace } from "@opentelemetry/api";
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { EXPORT_SUCCESS, mockModel, spanRows, startSdk, traceRow, type TestSdk } from "./otlp.helpers";

// A real OpenTelemetry JS SDK (protobuf and JSON exporters) sends traces to Vigil over HTTP;
// the tests then read what Vigil stored.
describe("OTLP ingestion from the OpenTelemetry JS SDK", () => {
  let s: TestServer;
  const sdks: TestSdk[] = [];
  const sdk = (o: Omit<Parameters<typeof startSdk>[0], "baseUrl">) => {
    const x = startSdk({ baseUrl: s.url, ...o });
    sdks.push(x);
    return x;
  };
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(sdks.map((x) => x.shutdown()));
    await s.close();
  });

  it("stores a gzip-compressed protobuf trace with MLflow, gen_ai and OpenInference spans", async () => {
    const otel = sdk({ encoding: "protobuf", gzip: true, experimentId: "0", resource: { "session.id": "sess-42" } });
    const t0 = new Date(Date.now() - 5_000);
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const root = otel.tracer.startSpan("agent", {
      startTime: t0,
      attributes: {
        "mlflow.spanType": JSON.stringify("AGENT"),
        "mlflow.spanInputs": JSON.stringify({
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "What is Vigil?" },
          ],
        }),
        "mlflow.spanOutputs": JSON.stringify({ choices: [{ message: { role: "assistant", content: "A monitor for agents." } }] }),
      },
    });
    const inRoot = trace.setSpan(context.active(), root);
    const retriever = otel.tracer.startSpan(
      "retrieve",
      {
        startTime: at(10),
        attributes: { "mlflow.spanType": JSON.stringify("RETRIEVER"), "openinference.span.kind": "RETRIEVER", "input.value": "Vigil docs" },
      },
      inRoot,
    );
    retriever.end(at(300));
    const llm = otel.tracer.startSpan(
      "chat gpt-4o",
      {
        startTime: at(310),
        attributes: {
          "mlflow.spanType": JSON.stringify("LLM"),
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "What is Vigil?" }] }]),
          "gen_ai.usage.input_tokens": 12,
        },
      },
      inRoot,
    );
    llm.end(at(1800));
    // Only GenAI conventions, no MLflow attributes: the span type and tokens come from gen_ai.*.
    const tool = otel.tracer.startSpan(
      "lookup docs",
      {
        startTime: at(1810),
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.usage.input_tokens": 8,
          "gen_ai.usage.output_tokens": 2,
          "gen_ai.tool.call.arguments": JSON.stringify({ q: "Vigil" }),
        },
      },
      inRoot,
    );
    tool.end(at(1830));
    root.end(at(1840));
    await otel.flush();

    expect(otel.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS]);
    const hex = root.spanContext().traceId;
    const row = traceRow(s.db, hex);
    expect(row).toMatchObject({
      traceId: `tr-${hex}`,
      experimentId: 0,
      name: "agent",
      state: "OK",
      requestPreview: "What is Vigil?",
      responsePreview: "A monitor for agents.",
      executionDurationMs: 1840,
      requestTime: t0.getTime(),
      spanCount: 4,
      rootSpanId: root.spanContext().spanId,
    });
    expect(row!.completedAt).not.toBeNull();
    expect(JSON.parse(row!.traceMetadata)).toMatchObject({ "mlflow.trace.session": "sess-42" });
    const stored = spanRows(s.db, hex);
    expect(stored.map((r) => [r.name, r.spanType, r.parentSpanId])).toEqual([
      ["agent", "AGENT", null],
      ["retrieve", "RETRIEVER", root.spanContext().spanId],
      ["chat gpt-4o", "LLM", root.spanContext().spanId],
      ["lookup docs", "TOOL", root.spanContext().spanId],
    ]);
    expect(JSON.parse(stored[3]!.attributes)).toMatchObject({
      "mlflow.spanType": "TOOL",
      "mlflow.chat.tokenUsage": { input_tokens: 8, output_tokens: 2, total_tokens: 10 },
      "mlflow.spanInputs": { q: "Vigil" },
    });
    expect(JSON.parse(stored[2]!.attributes)).toMatchObject({ "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 12 });
  });

  it("marks a trace whose root span failed as ERROR, keeping the exception event (JSON exporter)", async () => {
    const otel = sdk({ encoding: "json", experimentId: "0" });
    const t0 = new Date(Date.now() - 3_000);
    const root = otel.tracer.startSpan("tool-run", { startTime: t0, attributes: { "input.value": "delete everything", "output.value": "" } });
    const child = otel.tracer.startSpan("tool", { startTime: new Date(t0.getTime() + 5) }, trace.setSpan(context.active(), root));
    child.recordException(new Error("permission denied"));
    child.setStatus({ code: SpanStatusCode.ERROR, message: "permission denied" });
    child.end(new Date(t0.getTime() + 20));
    root.setStatus({ code: SpanStatusCode.ERROR, message: "tool failed" });
    root.end(new Date(t0.getTime() + 25));
    await otel.flush();

    expect(otel.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS]);
    const hex = root.spanContext().traceId;
    expect(traceRow(s.db, hex)).toMatchObject({ state: "ERROR", executionDurationMs: 25, spanCount: 2, requestPreview: "delete everything" });
    const [, tool] = spanRows(s.db, hex);
    expect(tool).toMatchObject({ statusCode: "STATUS_CODE_ERROR", statusMessage: "permission denied" });
    const events = JSON.parse(tool!.events) as { name: string; attributes: Record<string, unknown> }[];
    expect(events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": "permission denied" } });
  });

  it("builds one trace from two exports, child first, complete only once the root arrives", async () => {
    const otel = sdk({ encoding: "protobuf", experimentId: "0" });
    const t0 = new Date(Date.now() - 2_000);
    const root = otel.tracer.startSpan("pipeline", { startTime: t0 });
    const child = otel.tracer.startSpan(
      "llm",
      {
        startTime: new Date(t0.getTime() + 100),
        attributes: { "input.value": JSON.stringify({ question: "Is the child first?" }), "output.value": "Yes." },
      },
      trace.setSpan(context.active(), root),
    );
    child.end(new Date(t0.getTime() + 400));
    await otel.flush();
    const hex = root.spanContext().traceId;
    expect(traceRow(s.db, hex)).toMatchObject({ state: "IN_PROGRESS", completedAt: null, spanCount: 1, rootSpanId: null });

    root.end(new Date(t0.getTime() + 500));
    await otel.flush();
    expect(otel.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS, EXPORT_SUCCESS]);
    const row = traceRow(s.db, hex);
    expect(row).toMatchObject({ state: "OK", spanCount: 2, executionDurationMs: 500, name: "pipeline", responsePreview: "Yes." });
    expect(row!.requestPreview).toBe('{"question":"Is the child first?"}');
    expect(row!.completedAt).not.toBeNull();
  });

  it("fills in the request and response from a child that arrives after its root", async () => {
    const otel = sdk({ encoding: "json", experimentId: "0" });
    const t0 = new Date(Date.now() - 2_000);
    const root = otel.tracer.startSpan("chain", { startTime: t0 });
    const child = otel.tracer.startSpan(
      "llm",
      {
        startTime: new Date(t0.getTime() + 1),
        attributes: {
          "gen_ai.prompt.0.role": "user",
          "gen_ai.prompt.0.content": "late hello",
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.content": "late hi",
        },
      },
      trace.setSpan(context.active(), root),
    );
    root.end(new Date(t0.getTime() + 50));
    await otel.flush();
    const hex = root.spanContext().traceId;
    expect(traceRow(s.db, hex)).toMatchObject({ state: "OK", requestPreview: null, spanCount: 1 });
    child.end(new Date(t0.getTime() + 60));
    await otel.flush();
    expect(traceRow(s.db, hex)).toMatchObject({ requestPreview: "late hello", responsePreview: "late hi", spanCount: 2 });
  });

  it("records a Vercel AI SDK agent's prompt and answer as the trace's previews", async () => {
    const otel = sdk({ encoding: "protobuf", gzip: true, experimentId: "0" });
    const model = mockModel("The incident was a stale cache.");
    const result = await generateText({
      model,
      prompt: "Summarize the incident in one sentence.",
      experimental_telemetry: { isEnabled: true, tracer: otel.tracer, functionId: "incident-summary" },
    });
    expect(result.text).toBe("The incident was a stale cache.");
    await otel.flush();

    expect(otel.results.map((r) => r.code)).toEqual([EXPORT_SUCCESS]);
    const row = s.db.$client.prepare("SELECT trace_id FROM traces WHERE name = 'ai.generateText' ORDER BY request_time DESC LIMIT 1").get() as {
      trace_id: string;
    };
    const hex = row.trace_id.slice(3);
    expect(traceRow(s.db, hex)).toMatchObject({
      state: "OK",
      requestPreview: "Summarize the incident in one sentence.",
      responsePreview: "The incident was a stale cache.",
    });
    const names = spanRows(s.db, hex).map((r) => r.name);
    expect(names).toEqual(["ai.generateText", "ai.generateText.doGenerate"]);
    expect(traceRow(s.db, hex)!.spanCount).toBe(2);
  });
});
