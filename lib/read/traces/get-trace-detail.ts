import { z } from "zod";
import { NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { backendFor } from "@/lib/remote/backend-for";
import { storeExperimentId } from "@/lib/remote/linked";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import type { TraceData } from "@/lib/mlflow/types";

export const GetTraceDetailInput = z.object({ experimentId: experimentIdString, traceId: z.string().min(1).max(200) });
export type GetTraceDetailInput = z.input<typeof GetTraceDetailInput>;

/**
 * A trace with decoded spans and its assessments, for the trace page (from the MLflow server in
 * remote mode); it must belong to the experiment in the URL.
 */
export async function getTraceDetail({ ctx, input }: VerbArgs<GetTraceDetailInput>): Promise<TraceData> {
  const { experimentId, traceId } = GetTraceDetailInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  const data = await backendFor(ctx).getTrace(traceId);
  // A trace of another experiment is "not found here": the URL must not be a way around scoping.
  if (data.info.trace_location.mlflow_experiment?.experiment_id !== storeExperimentId(ctx.db, experimentId)) {
    throw new NotFoundError(`Trace '${traceId}' is not in experiment ${experimentId}.`);
  }
  return data;
}
