import { requireRole, type VerbArgs } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { searchTraces } from "@/lib/traces";
import { composeTraceFilter, TRACE_ORDERS, type TraceQueryState } from "./trace-query";

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
 * points at what they typed; then it runs with the time window as MLflow's SearchTracesV3.
 */
export function searchTracePage({ ctx, input }: VerbArgs<SearchTracePageInput>): TracePage {
  requireRole(ctx.actor, "viewer");
  const { state } = input;
  parseFilter(state.q);
  const anchor = state.at ?? ctx.now();
  const r = searchTraces({
    ctx,
    input: {
      experiment_ids: [input.experimentId],
      filter: composeTraceFilter(state.q, state.range, anchor),
      order_by: [TRACE_ORDERS[state.order].orderBy],
      max_results: state.size,
      page_token: state.page,
    },
  });
  return { traces: r.traces, nextPageToken: r.next_page_token, anchor };
}
