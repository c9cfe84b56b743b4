import type { VerbArgs } from "@/lib/core";
import { parseDuration } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { searchTraces, type SearchTracesInput } from "./search-traces";

/** MLflow's deprecated v2 TraceInfo (GET /api/2.0/mlflow/traces), still called by older clients. */
export interface TraceInfoV2 {
  request_id: string;
  experiment_id: string;
  timestamp_ms: number;
  execution_time_ms?: number;
  status: "TRACE_STATUS_UNSPECIFIED" | "OK" | "ERROR" | "IN_PROGRESS";
  request_metadata: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

export function traceInfoV2FromV3(t: TraceInfoV3): TraceInfoV2 {
  const out: TraceInfoV2 = {
    request_id: t.trace_id,
    experiment_id: t.trace_location.mlflow_experiment?.experiment_id ?? "",
    timestamp_ms: Date.parse(t.request_time),
    status: t.state === "STATE_UNSPECIFIED" ? "TRACE_STATUS_UNSPECIFIED" : t.state,
    request_metadata: Object.entries(t.trace_metadata).map(([key, value]) => ({ key, value })),
    tags: Object.entries(t.tags).map(([key, value]) => ({ key, value })),
  };
  const ms = t.execution_duration ? parseDuration(t.execution_duration) : null;
  if (ms !== null) out.execution_time_ms = ms;
  return out;
}

/** The v2 search: same filter, order and paging as v3, answered in the v2 shape. */
export function searchTracesV2({ ctx, input }: VerbArgs<Omit<SearchTracesInput, "locations">>): {
  traces: TraceInfoV2[];
  next_page_token?: string;
} {
  const r = searchTraces({ ctx, input: { ...input, locations: undefined } });
  const out: { traces: TraceInfoV2[]; next_page_token?: string } = { traces: r.traces.map(traceInfoV2FromV3) };
  if (r.next_page_token) out.next_page_token = r.next_page_token;
  return out;
}
