import { type Ctx, InvalidParameterError } from "@/lib/core";
import { decodeOtlpRequest, encodeExportResponse, otlpTypes, storeSpans } from "@/lib/ingest";
import { SPANS_LOCATION_TAG, TRACKING_STORE } from "@/lib/traces/spans-location";
import type { ApiRequest, ApiResult, Route } from "../types";

// MLflow's server names the experiment in this header and refuses a request without it
// (mlflow/server/otel_api.py declares it as a required FastAPI Header).
export const EXPERIMENT_HEADER = "x-mlflow-experiment-id";

function experimentIdOf(req: ApiRequest): number {
  const raw = req.headers[EXPERIMENT_HEADER]?.trim();
  if (!raw) throw new InvalidParameterError(`Missing header '${EXPERIMENT_HEADER}': name the experiment the traces belong to.`);
  if (!/^\d{1,15}$/.test(raw)) throw new InvalidParameterError(`Header '${EXPERIMENT_HEADER}' must be an experiment id, got '${raw.slice(0, 40)}'.`);
  return Number(raw);
}

const SPANS_IN_TRACKING_STORE = { [SPANS_LOCATION_TAG]: TRACKING_STORE };

/** OTLP/HTTP trace export: decode, store, answer in the request's encoding with partial success. */
async function exportTraces(req: ApiRequest, ctx: Ctx): Promise<ApiResult> {
  const experimentId = experimentIdOf(req);
  const decoded = decodeOtlpRequest(req.body, req.headers["content-type"]);
  // Each trace gets the spans-location tag (MLflow's log_spans merges it) in the storing transaction.
  const stored = await storeSpans({ ctx, input: { experimentId, spans: decoded.spans, traceTags: SPANS_IN_TRACKING_STORE } });
  const { body, contentType } = encodeExportResponse(decoded.format, [...decoded.rejected, ...stored.rejected]);
  return { status: 200, body, contentType };
}

// Parse the .proto files when the routes load, not inside the first export request.
otlpTypes();

export const otlpRoutes: Route[] = [{ method: "POST", path: "/v1/traces", handler: exportTraces, body: "raw" }];
