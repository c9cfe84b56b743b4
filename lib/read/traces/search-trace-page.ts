import { requireRole, type VerbArgs } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { backendFor } from "@/lib/remote/backend-for";
import { storeExperimentId } from "@/lib/remote/linked";
import { composeTraceFilter, TRACE_ORDERS, type TraceQueryState } from "@/lib/read/traces/trace-query";

export interface SearchTracePageInput {
  experimentId: string;
  state: TraceQueryState;
}

export interface TracePage {
  traces: TraceInfoV3[];
  nextPageToken?: string;
  /** The instant the time window is measured from, carried to later pages. */
  anchor: number;
}

/**
 * One page of the traces table. The user's filter is parsed on its own first, so its error
 * points at what they typed; then it runs with the time window as MLflow's SearchTracesV3,
 * against Vigil's own store or, in remote mode, the MLflow server that holds the traces.
 */
export async function searchTracePage({ ctx, input }: VerbArgs<SearchTracePageInput>): Promise<TracePage> {
  requireRole(ctx.actor, "viewer", Number(input.experimentId));
  const { state } = input;
  parseFilter(state.q);
  const anchor = state.at ?? ctx.now();
  const r = await backendFor(ctx).searchTraces({
    experimentIds: [storeExperimentId(ctx.db, input.experimentId)],
    filter: composeTraceFilter(state.q, state.range, anchor),
    orderBy: [TRACE_ORDERS[state.order].orderBy],
    maxResults: state.size,
    pageToken: state.page,
  });
  return { traces: r.traces, nextPageToken: r.nextPageToken, anchor };
}
