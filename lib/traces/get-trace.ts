import { z } from "zod";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { loadAssessmentsByTrace, loadSpanRows, spanToOtelJson, traceInfoFromRow, type OtelSpanJson } from "@/lib/mlflow/convert";
import { protoBool } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { requireTraceRow } from "./trace-row";

export interface TraceJson {
  trace_info: TraceInfoV3;
  spans: OtelSpanJson[];
}

export const GetTraceInput = z.object({
  trace_id: z.string().min(1),
  // Vigil always answers what it has; a trace still receiving spans is partial either way.
  allow_partial: protoBool.optional(),
});
export type GetTraceInput = z.input<typeof GetTraceInput>;

/** MLflow's GetTrace (v3): the trace info and its spans as OpenTelemetry protobuf JSON. */
export function getTrace({ ctx, input }: VerbArgs<GetTraceInput>): { trace: TraceJson } {
  const { trace_id } = GetTraceInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const row = requireTraceRow(ctx.db, trace_id);
  requireRole(ctx.actor, "viewer", row.experimentId);
  const assessments = loadAssessmentsByTrace(ctx.db, [trace_id]).get(trace_id) ?? [];
  return { trace: { trace_info: traceInfoFromRow(row, assessments), spans: loadSpanRows(ctx.db, trace_id).map(spanToOtelJson) } };
}
