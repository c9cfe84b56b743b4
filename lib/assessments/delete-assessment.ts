import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { assessments } from "@/db/schema";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { requireAssessmentRow } from "./assessment-input";

export const DeleteAssessmentInput = z.object({ trace_id: z.string().min(1), assessment_id: z.string().min(1) });
export type DeleteAssessmentInput = z.input<typeof DeleteAssessmentInput>;

/** Deleting an override makes the assessment it replaced valid again, so nothing is lost. */
export function deleteAssessment({ ctx, input }: VerbArgs<DeleteAssessmentInput>): Record<string, never> {
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  const i = DeleteAssessmentInput.parse(input);
  const row = requireAssessmentRow(ctx.db, i.trace_id, i.assessment_id);
  requireRole(ctx.actor, "operator", row.experimentId);
  ctx.db.transaction(() => {
    if (row.overrides) {
      ctx.db
        .update(assessments)
        .set({ valid: true, lastUpdateTime: ctx.now() })
        .where(and(eq(assessments.assessmentId, row.overrides), eq(assessments.traceId, i.trace_id)))
        .run();
    }
    ctx.db.delete(assessments).where(eq(assessments.assessmentId, i.assessment_id)).run();
  });
  return {};
}
