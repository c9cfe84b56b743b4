// MLflow's trace endpoints: v3 (/api/3.0/mlflow/traces...) and the v2 paths older clients call.
import {
  batchGetTraceInfos,
  batchGetTraces,
  deleteTraceTag,
  deleteTraces,
  getTrace,
  getTraceInfo,
  searchTraces,
  searchTracesV2,
  setTraceTag,
  startTrace,
  traceInfoV2FromV3,
  type BatchGetTraceInfosInput,
  type BatchGetTracesInput,
  type DeleteTracesInput,
  type GetTraceInput,
  type SearchTracesInput,
  type StartTraceInput,
} from "@/lib/traces";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const V3 = "/api/3.0/mlflow/traces";
const V2 = "/api/2.0/mlflow/traces";

function input<T>(req: ApiRequest, params: Record<string, string> = {}): T {
  // Path parameters win over body fields of the same name, as in MLflow.
  return { ...readInput(req), ...params } as T;
}

const ok = (json: unknown) => ({ status: 200, json });

export const traceRoutes: Route[] = [
  { method: "POST", path: V3, handler: (req, ctx) => ok(startTrace({ ctx, input: input<StartTraceInput>(req) })) },
  { method: "POST", path: `${V3}/search`, handler: (req, ctx) => ok(searchTraces({ ctx, input: input<SearchTracesInput>(req) })) },
  { method: "GET", path: `${V3}/get`, handler: (req, ctx) => ok(getTrace({ ctx, input: input<GetTraceInput>(req) })) },
  { method: "GET", path: `${V3}/batchGet`, handler: (req, ctx) => ok(batchGetTraces({ ctx, input: input<BatchGetTracesInput>(req) })) },
  { method: "POST", path: `${V3}/batchGetInfos`, handler: (req, ctx) => ok(batchGetTraceInfos({ ctx, input: input<BatchGetTraceInfosInput>(req) })) },
  { method: "POST", path: `${V3}/delete-traces`, handler: (req, ctx) => ok(deleteTraces({ ctx, input: input<DeleteTracesInput>(req) })) },
  { method: "GET", path: `${V3}/:trace_id`, handler: (req, ctx) => ok(getTraceInfo({ ctx, input: { trace_id: req.params.trace_id! } })) },
  {
    method: "PATCH",
    path: `${V3}/:trace_id/tags`,
    handler: (req, ctx) => ok(setTraceTag({ ctx, input: input(req, { trace_id: req.params.trace_id! }) })),
  },
  {
    method: "DELETE",
    path: `${V3}/:trace_id/tags`,
    handler: (req, ctx) => ok(deleteTraceTag({ ctx, input: input(req, { trace_id: req.params.trace_id! }) })),
  },

  // v2 (deprecated in MLflow 3, still used by 2.x clients): same verbs, v2 shapes.
  { method: "GET", path: V2, handler: (req, ctx) => ok(searchTracesV2({ ctx, input: input<SearchTracesInput>(req) })) },
  { method: "POST", path: `${V2}/delete-traces`, handler: (req, ctx) => ok(deleteTraces({ ctx, input: input<DeleteTracesInput>(req) })) },
  {
    method: "GET",
    path: `${V2}/:request_id/info`,
    handler: (req, ctx) => ok({ trace_info: traceInfoV2FromV3(getTraceInfo({ ctx, input: { trace_id: req.params.request_id! } }).trace.trace_info) }),
  },
  {
    method: "PATCH",
    path: `${V2}/:request_id/tags`,
    handler: (req, ctx) => ok(setTraceTag({ ctx, input: input(req, { trace_id: req.params.request_id! }) })),
  },
  {
    method: "DELETE",
    path: `${V2}/:request_id/tags`,
    handler: (req, ctx) => ok(deleteTraceTag({ ctx, input: input(req, { trace_id: req.params.request_id! }) })),
  },
];
