// An in-process HTTP server that answers as MLflow's tracking server does (handlers, entities and
// sqlalchemy store at upstream a89bed67; see mlflow-fixture-routes.ts and -scorers.ts), for the
// contract and fault suites: the other side of Vigil's remote mode is then built from MLflow's
// source, not from Vigil's own answers. Traces are seeded as MLflow's clients leave them: spans in
// the tracking store (the OTLP path, tagged TRACKING_STORE) or only in traces.json behind the
// artifact proxy (the TypeScript SDK and older Python clients), some not fully exported yet.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FixtureError } from "./mlflow-fixture-filter";
import { makeRoutes, type FxAnswer, type FxRequest } from "./mlflow-fixture-routes";
import { scorerRoutes } from "./mlflow-fixture-scorers";
import { FxState, randomHex, stringifyExact, tracesJson, type FxSpan, type SpansIn } from "./mlflow-fixture-store";

export interface FixtureSeed {
  startMs: number;
  /** Root duration; null leaves the root span open (trace IN_PROGRESS). */
  durationMs?: number | null;
  error?: boolean;
  inputs?: unknown;
  outputs?: unknown;
  /** Where the spans live; by default traces rotate over the three places. */
  spansIn?: SpansIn;
  /** The size stats promise one span more than is stored: "not fully exported yet". */
  partial?: boolean;
  metadata?: Record<string, string>;
}

export interface MlflowFixtureOptions {
  /** What GET /version answers; null: no such route (a 404, as servers before it had). */
  version?: string | null;
  /** Answers carry fields Vigil does not know. Default true. */
  extraFields?: boolean;
  now?: () => number;
}

export interface MlflowFixture {
  url: string;
  state: FxState;
  /** Every request as "METHOD path" (path without the query). */
  requests: string[];
  seedTraces(experimentId: string, list: FixtureSeed[]): string[];
  /** Puts spans of a trace into the artifact store after the fact (a late traces.json upload). */
  uploadLater(traceId: string, writer: "python" | "ts"): void;
  close(): Promise<void>;
}

const SPREAD: SpansIn[] = ["tracking_store", "artifact_python", "artifact_ts"];
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function buildSpans(traceId: string, t: FixtureSeed, n: number): FxSpan[] {
  const duration = t.durationMs === undefined ? 1000 : t.durationMs;
  const rootId = randomHex(8);
  return [
    {
      spanIdHex: rootId,
      parentHex: null,
      name: "agent",
      startNs: ns(t.startMs),
      endNs: duration === null ? null : ns(t.startMs + duration),
      status: duration === null ? "STATUS_CODE_UNSET" : t.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
      message: t.error ? "boom" : "",
      attributes: {
        "mlflow.traceRequestId": traceId,
        "mlflow.spanType": "AGENT",
        "mlflow.spanFunctionName": "agent",
        "mlflow.spanInputs": t.inputs ?? { messages: [{ role: "user", content: `question ${n}` }] },
        "mlflow.spanOutputs": t.outputs ?? { choices: [{ message: { role: "assistant", content: "an answer" } }] },
      },
      events: t.error ? [{ name: "exception", timeNs: ns(t.startMs + 5), attributes: { "exception.message": "boom" } }] : [],
    },
    {
      spanIdHex: randomHex(8),
      parentHex: rootId,
      name: "retrieve",
      startNs: ns(t.startMs + 1),
      endNs: ns(t.startMs + 2),
      status: "STATUS_CODE_OK",
      message: "",
      attributes: {
        "mlflow.traceRequestId": traceId,
        "mlflow.spanType": "RETRIEVER",
        "mlflow.spanInputs": { query: `question ${n}` },
        "mlflow.spanOutputs": [{ page_content: "a doc" }],
      },
      events: [],
    },
  ];
}

export async function startMlflowFixture(o: MlflowFixtureOptions = {}): Promise<MlflowFixture> {
  const version = o.version === undefined ? "3.11.0" : o.version;
  const state = new FxState(o.now ?? Date.now);
  const parsed =
    version === null
      ? null
      : ((version
          .match(/^(\d+)\.(\d+)/)
          ?.slice(1, 3)
          .map(Number) as [number, number] | undefined) ?? null);
  const base = makeRoutes({ state, extraFields: o.extraFields ?? true, version: parsed ?? [0, 0] });
  const routes = [...base.routes, ...scorerRoutes(base, state)];
  const requests: string[] = [];
  const pendingUploads = new Map<string, FxSpan[]>();

  function answer(req: FxRequest): FxAnswer {
    if (req.method === "GET" && req.path === "/version") {
      return version === null
        ? { status: 404, text: "<!doctype html><title>404 Not Found</title>", contentType: "text/html" }
        : { status: 200, text: version, contentType: "text/plain" };
    }
    for (const r of routes) {
      const m = r.path.exec(req.path);
      if (m && r.method === req.method) return r.handle(req, m);
    }
    // Flask answers an unknown route with its HTML 404 page, not MLflow's error JSON.
    return { status: 404, text: "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>", contentType: "text/html" };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fixture");
      requests.push(`${req.method} ${url.pathname}`);
      let out: FxAnswer;
      try {
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: Record<string, unknown> = {};
        if (req.method !== "GET" && raw.trim()) {
          try {
            body = JSON.parse(raw) as Record<string, unknown>;
          } catch {
            throw new FixtureError(400, "MALFORMED_REQUEST", "Malformed request: the body is not JSON");
          }
        }
        out = answer({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body });
      } catch (e) {
        if (!(e instanceof FixtureError)) throw e;
        out = { status: e.status, json: { error_code: e.code, message: e.message } };
      }
      if ("json" in out) res.writeHead(out.status, { "content-type": "application/json" }).end(stringifyExact(out.json));
      else res.writeHead(out.status, { "content-type": out.contentType }).end(out.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    seedTraces(experimentId, list) {
      return list.map((t, i) => {
        const otelHex = randomHex(16);
        const traceId = `tr-${otelHex}`;
        const spans = buildSpans(traceId, t, i);
        const where = t.spansIn ?? SPREAD[state.traces.size % SPREAD.length]!;
        const root = spans[0]!;
        const open = root.endNs === null;
        const tags: Record<string, string> = { "mlflow.traceName": root.name, "mlflow.artifactLocation": FxState.artifactLocation(experimentId, traceId) };
        if (where === "tracking_store") tags["mlflow.trace.spansLocation"] = "TRACKING_STORE";
        const trace = {
          traceId,
          otelHex,
          experimentId,
          requestMs: t.startMs,
          executionMs: open ? null : (t.durationMs ?? 1000),
          state: open ? ("IN_PROGRESS" as const) : t.error ? ("ERROR" as const) : ("OK" as const),
          requestPreview: JSON.stringify(root.attributes["mlflow.spanInputs"]).slice(0, 1000),
          responsePreview: JSON.stringify(root.attributes["mlflow.spanOutputs"]).slice(0, 1000),
          metadata: {
            "mlflow.trace_schema.version": "3",
            "mlflow.trace.sizeStats": JSON.stringify({ total_size_bytes: 1024, num_spans: spans.length + (t.partial ? 1 : 0), max_span_size_bytes: 512 }),
            ...(t.metadata ?? {}),
          },
          tags,
          spans: where === "tracking_store" ? spans : null,
          assessments: [],
        };
        state.traces.set(traceId, trace);
        if (where !== "tracking_store") {
          if (t.partial) pendingUploads.set(traceId, spans);
          else state.artifacts.set(state.tracesJsonPath(trace), tracesJson(trace, spans, where === "artifact_python" ? "python" : "ts"));
        }
        return traceId;
      });
    },
    uploadLater(traceId, writer) {
      const t = state.traces.get(traceId)!;
      const spans = pendingUploads.get(traceId) ?? t.spans;
      if (!spans) throw new Error(`no spans kept for ${traceId}`);
      t.metadata["mlflow.trace.sizeStats"] = JSON.stringify({ total_size_bytes: 1024, num_spans: spans.length, max_span_size_bytes: 512 });
      state.artifacts.set(state.tracesJsonPath(t), tracesJson(t, spans, writer));
      pendingUploads.delete(traceId);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
