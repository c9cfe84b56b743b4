// MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/<path>), for trace data only: the
// PUT takes traces.json as raw bytes (any Content-Type; MLflow's Python and TypeScript SDKs both
// send application/json), the GET answers it. Other paths get a 400 that says what is kept.
import { downloadTraceData, uploadTraceData } from "@/lib/traces";
import type { ApiRequest, Route, RouteHandler } from "../types";

const BASE = "/api/2.0/mlflow-artifacts/artifacts";
const MAX_DEPTH = 12;

const segments = (req: ApiRequest) =>
  Object.keys(req.params)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => req.params[k]!);

const put: RouteHandler = async (req, ctx) => ({ status: 200, json: await uploadTraceData({ ctx, input: { path: segments(req), body: req.body } }) });
const get: RouteHandler = (req, ctx) => ({ status: 200, body: downloadTraceData({ ctx, input: { path: segments(req) } }), contentType: "application/json" });

// The router matches a fixed number of segments, so one pattern per depth routes every path here.
const patterns = Array.from({ length: MAX_DEPTH }, (_, n) => `${BASE}/${Array.from({ length: n + 1 }, (_, i) => `:p${i}`).join("/")}`);

export const artifactRoutes: Route[] = patterns.flatMap((path) => [
  { method: "PUT" as const, path, handler: put, body: "raw" as const },
  { method: "GET" as const, path, handler: get },
]);
