import { eq } from "drizzle-orm";
import { z } from "zod";
import { assessments } from "@/db/schema";
import { InvalidParameterError, BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { assessmentFromRow, assessmentValueColumns } from "@/lib/mlflow/convert";
import type { Assessment, FeedbackValue } from "@/lib/mlflow/types";
import { AssessmentName, AssessmentPatchInput, ExpectationInput, FeedbackInput, requireAssessmentRow } from "./assessment-input";

// The fields MLflow's UpdateAssessment handler honours.
export const UPDATABLE_FIELDS = ["assessment_name", "expectation", "feedback", "rationale", "metadata", "valid"] as const;
type Updatable = (typeof UPDATABLE_FIELDS)[number];

/**
 * A google.protobuf.FieldMask: in JSON a comma-separated string of lowerCamelCase paths
 * ("assessmentName,feedback"); snake_case and the {paths: [...]} object form are accepted too.
 */
export function parseUpdateMask(mask: unknown): Updatable[] {
  const raw =
    typeof mask === "string"
      ? mask.split(",")
      : mask && typeof mask === "object" && Array.isArray((mask as { paths?: unknown }).paths)
        ? (mask as { paths: unknown[] }).paths
        : null;
  if (!raw) throw new InvalidParameterError('update_mask must be a comma-separated list of field names, e.g. "rationale,feedback".');
  const paths = raw
    .map((p) => String(p).trim())
    .filter(Boolean)
    .map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  if (paths.length === 0) throw new InvalidParameterError("update_mask must name at least one field.");
  for (const p of paths) {
    if (!(UPDATABLE_FIELDS as readonly string[]).includes(p)) {
      throw new InvalidParameterError(`update_mask names '${p}', which cannot be updated; allowed: ${UPDATABLE_FIELDS.join(", ")}.`);
    }
  }
  return [...new Set(paths)] as Updatable[];
}

export const UpdateAssessmentInput = z.object({
  trace_id: z.string().min(1),
  assessment_id: z.string().min(1),
  assessment: AssessmentPatchInput,
  update_mask: z.unknown(),
});
export type UpdateAssessmentInput = z.input<typeof UpdateAssessmentInput>;

/** MLflow's UpdateAssessment: only the masked fields change; feedback stays feedback. */
export function updateAssessment({ ctx, input }: VerbArgs<UpdateAssessmentInput>): { assessment: Assessment } {
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  const i = UpdateAssessmentInput.parse(input);
  const mask = parseUpdateMask(i.update_mask);
  const row = requireAssessmentRow(ctx.db, i.trace_id, i.assessment_id);
  requireRole(ctx.actor, "operator", row.experimentId);
  const a = i.assessment;
  const set: Partial<typeof assessments.$inferInsert> = { lastUpdateTime: ctx.now() };

  for (const field of mask) {
    switch (field) {
      case "assessment_name":
        set.name = AssessmentName.parse(a.assessment_name);
        break;
      case "feedback": {
        if (row.kind !== "feedback") throw new InvalidParameterError("This assessment is an expectation; its feedback cannot be updated.");
        const f = FeedbackInput.parse(a.feedback);
        Object.assign(set, assessmentValueColumns({ feedback: { value: f.value as FeedbackValue | undefined, error: f.error } }));
        break;
      }
      case "expectation": {
        if (row.kind !== "expectation") throw new InvalidParameterError("This assessment is feedback; its expectation cannot be updated.");
        const e = ExpectationInput.parse(a.expectation);
        Object.assign(set, assessmentValueColumns({ expectation: { value: e.value as FeedbackValue | undefined, serialized_value: e.serialized_value } }));
        break;
      }
      case "rationale":
        set.rationale = a.rationale ?? null;
        break;
      case "metadata":
        set.metadata = JSON.stringify(a.metadata ?? {});
        break;
      case "valid":
        set.valid = a.valid ?? true;
        break;
    }
  }
  ctx.db.update(assessments).set(set).where(eq(assessments.assessmentId, row.assessmentId)).run();
  return { assessment: assessmentFromRow(requireAssessmentRow(ctx.db, i.trace_id, i.assessment_id)) };
}
