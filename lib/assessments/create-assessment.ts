import { eq } from "drizzle-orm";
import { z } from "zod";
import { assessments } from "@/db/schema";
import { newId, BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { assessmentFromRow, assessmentValueColumns } from "@/lib/mlflow/convert";
import type { Assessment, FeedbackValue } from "@/lib/mlflow/types";
import { requireTraceRow } from "@/lib/traces/trace-row";
import { NewAssessmentInput, requireAssessmentRow } from "./assessment-input";

export const CreateAssessmentInput = z.object({ trace_id: z.string().min(1), assessment: NewAssessmentInput });
export type CreateAssessmentInput = z.input<typeof CreateAssessmentInput>;

/**
 * MLflow's CreateAssessment. The path's trace id wins over the body's. An assessment that
 * `overrides` another marks that one invalid, as MLflow does, so filters see only the newer.
 */
export function createAssessment({ ctx, input }: VerbArgs<CreateAssessmentInput>): { assessment: Assessment } {
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  const { trace_id, assessment: a } = CreateAssessmentInput.parse(input);
  const trace = requireTraceRow(ctx.db, trace_id);
  requireRole(ctx.actor, "operator", trace.experimentId);
  const feedback = a.feedback ? { value: a.feedback.value as FeedbackValue | undefined, error: a.feedback.error ?? a.error } : undefined;
  const expectation = a.expectation ? { value: a.expectation.value as FeedbackValue | undefined, serialized_value: a.expectation.serialized_value } : undefined;
  const cols = assessmentValueColumns({ feedback, expectation });
  const now = ctx.now();
  const assessmentId = newId("a-");

  ctx.db.transaction(() => {
    if (a.overrides) {
      requireAssessmentRow(ctx.db, trace_id, a.overrides);
      ctx.db.update(assessments).set({ valid: false, lastUpdateTime: now }).where(eq(assessments.assessmentId, a.overrides)).run();
    }
    ctx.db
      .insert(assessments)
      .values({
        assessmentId,
        traceId: trace_id,
        experimentId: trace.experimentId,
        name: a.assessment_name,
        spanId: a.span_id || null,
        sourceType: a.source.source_type,
        sourceId: a.source.source_id,
        ...cols,
        rationale: a.rationale ?? null,
        metadata: JSON.stringify(a.metadata ?? {}),
        overrides: a.overrides ?? null,
        valid: a.valid ?? true,
        createTime: now,
        lastUpdateTime: now,
      })
      .run();
  });
  return { assessment: assessmentFromRow(requireAssessmentRow(ctx.db, trace_id, assessmentId)) };
}
