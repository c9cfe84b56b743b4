// Shared by the otlp*.test.ts files: a real OpenTelemetry JS SDK exporting to a Vigil test server,
// and small readers of what Vigil stored.
import { MockLanguageModelV3 } from "ai/test";
import { context, type Attributes, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { spans, traces } from "@/db/schema";
import { otlpTypes } from "@/lib/ingest";

// ExportResultCode.SUCCESS in @opentelemetry/core.
export const EXPORT_SUCCESS = 0;

/** Passes spans to the real exporter and keeps each export's result, so tests can assert on them. */
class RecordingExporter implements SpanExporter {
  readonly results: { code: number; error?: Error }[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(batch: ReadableSpan[], done: (r: { code: number; error?: Error }) => void): void {
    this.inner.export(batch, (r) => {
      this.results.push(r);
      done(r);
    });
  }
  shutdown() {
    return this.inner.shutdown();
  }
  forceFlush() {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export interface TestSdk {
  tracer: Tracer;
  results: { code: number; error?: Error }[];
  /** Exports everything ended so far as one OTLP request. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let contextReady = false;

export function startSdk(opts: { baseUrl: string; experimentId?: string; encoding: "protobuf" | "json"; gzip?: boolean; resource?: Attributes }): TestSdk {
  if (!contextReady) {
    // Parent/child links across awaits (the AI SDK relies on the active span).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextReady = true;
  }
  const headers: Record<string, string> = opts.experimentId === undefined ? {} : { "x-mlflow-experiment-id": opts.experimentId };
  const config = {
    url: `${opts.baseUrl}/v1/traces`,
    headers,
    compression: opts.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
  const exporter = new RecordingExporter(opts.encoding === "protobuf" ? new ProtoExporter(config) : new JsonExporter(config));
  // A long delay: spans leave only when the test flushes, so each flush is one export request.
  const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 600_000, maxExportBatchSize: 512 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "vigil-tests", ...opts.resource }),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer("vigil-tests"),
    results: exporter.results,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export function traceRow(db: Db, otelTraceId: string) {
  return db
    .select()
    .from(traces)
    .where(eq(traces.traceId, `tr-${otelTraceId}`))
    .get();
}

export function spanRows(db: Db, otelTraceId: string) {
  return db
    .select()
    .from(spans)
    .where(eq(spans.traceId, `tr-${otelTraceId}`))
    .orderBy(asc(spans.startMs), asc(spans.name))
    .all();
}

export const countRows = (db: Db) => ({
  traces: (db.$client.prepare("SELECT COUNT(*) AS n FROM traces").get() as { n: number }).n,
  spans: (db.$client.prepare("SELECT COUNT(*) AS n FROM spans").get() as { n: number }).n,
});

/** One span in OTLP JSON form; ids are hex, times are nanosecond strings. */
export function jsonSpan(traceId: string, spanId: string, extra: Record<string, unknown> = {}) {
  const start = BigInt(Date.now() - 1_000) * 1_000_000n;
  return {
    traceId,
    spanId,
    name: `span-${spanId.slice(0, 4)}`,
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    ...extra,
  };
}

export const jsonRequest = (spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] });

/** Encodes the same request as OTLP protobuf with OpenTelemetry's own schema (ids as bytes). */
export function protobufRequest(spans: Record<string, unknown>[]): Uint8Array<ArrayBuffer> {
  const type = otlpTypes().request;
  const bytes = (h: unknown) => Buffer.from(typeof h === "string" ? h : "", "hex");
  const msg = type.fromObject({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: spans.map((sp) => ({ ...sp, traceId: bytes(sp.traceId), spanId: bytes(sp.spanId), parentSpanId: bytes(sp.parentSpanId) })),
          },
        ],
      },
    ],
  });
  return new Uint8Array(type.encode(msg).finish());
}

/** A Vercel AI SDK model that answers `text` (the AI SDK's own test double). */
export function mockModel(text: string): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    modelId: "mock-model",
    doGenerate: {
      content: [{ type: "text", text }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 9, noCache: 9, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 7, text: 7, reasoning: undefined },
      },
      warnings: [],
    },
  });
}
