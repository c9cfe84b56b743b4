import { z } from "zod";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { loadAssessmentsByTrace, traceInfoFromRow } from "@/lib/mlflow/convert";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { requireTraceRow } from "./trace-row";

export const GetTraceInfoInput = z.object({ trace_id: z.string().min(1) });
export type GetTraceInfoInput = z.input<typeof GetTraceInfoInput>;

/** MLflow's GetTraceInfoV3: `{trace: {trace_info}}`, assessments included. */
export function getTraceInfo({ ctx, input }: VerbArgs<GetTraceInfoInput>): { trace: { trace_info: TraceInfoV3 } } {
  const { trace_id } = GetTraceInfoInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const row = requireTraceRow(ctx.db, trace_id);
  requireRole(ctx.actor, "viewer", row.experimentId);
  const assessments = loadAssessmentsByTrace(ctx.db, [trace_id]).get(trace_id) ?? [];
  return { trace: { trace_info: traceInfoFromRow(row, assessments) } };
}
