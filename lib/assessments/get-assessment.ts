import { z } from "zod";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { assessmentFromRow } from "@/lib/mlflow/convert";
import type { Assessment } from "@/lib/mlflow/types";
import { requireAssessmentRow } from "./assessment-input";

export const GetAssessmentInput = z.object({ trace_id: z.string().min(1), assessment_id: z.string().min(1) });
export type GetAssessmentInput = z.input<typeof GetAssessmentInput>;

export function getAssessment({ ctx, input }: VerbArgs<GetAssessmentInput>): { assessment: Assessment } {
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const i = GetAssessmentInput.parse(input);
  const row = requireAssessmentRow(ctx.db, i.trace_id, i.assessment_id);
  requireRole(ctx.actor, "viewer", row.experimentId);
  return { assessment: assessmentFromRow(row) };
}
