// The Assessment message as clients send it, validated once for create and update.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { assessments } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import type { AssessmentRow } from "@/lib/mlflow/convert";

const jsonValue = z.unknown().refine((v) => v === undefined || isJson(v), "must be a JSON value");
function isJson(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === "object") return Object.values(v as object).every(isJson);
  return false;
}

export const AssessmentErrorInput = z.object({
  error_code: z.string().min(1, "error_code is required"),
  error_message: z.string().optional(),
  stack_trace: z.string().optional(),
});

export const FeedbackInput = z
  .object({ value: jsonValue.optional(), error: AssessmentErrorInput.optional() })
  .refine((f) => f.value !== undefined || f.error !== undefined, "feedback needs a 'value' or an 'error'");

export const ExpectationInput = z
  .object({
    value: jsonValue.optional(),
    serialized_value: z.object({ serialization_format: z.string(), value: z.string() }).optional(),
  })
  .refine((e) => (e.value !== undefined) !== (e.serialized_value !== undefined), "expectation needs exactly one of 'value' or 'serialized_value'");

// AI_JUDGE is MLflow's deprecated spelling of LLM_JUDGE; MLflow's own client still maps it.
export const SourceInput = z.object({
  source_type: z
    .enum(["HUMAN", "LLM_JUDGE", "CODE", "AI_JUDGE"], {
      message: "source_type must be one of HUMAN, LLM_JUDGE, CODE",
    })
    .transform((t) => (t === "AI_JUDGE" ? "LLM_JUDGE" : t)),
  source_id: z.string().default(""),
});

// "The name must not contain '.'" (assessments.proto): dots would make `feedback.<name>` ambiguous.
export const AssessmentName = z
  .string()
  .trim()
  .min(1, "assessment_name is required")
  .refine((n) => !n.includes("."), "assessment_name must not contain '.'");

const Common = {
  assessment_id: z.string().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  create_time: z.string().optional(),
  last_update_time: z.string().optional(),
  rationale: z.string().optional(),
  // Deprecated top-level error: MLflow moved it into feedback.error.
  error: AssessmentErrorInput.optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  overrides: z.string().optional(),
  valid: z.boolean().optional(),
};

export const NewAssessmentInput = z
  .object({
    ...Common,
    assessment_name: AssessmentName,
    source: SourceInput,
    feedback: FeedbackInput.optional(),
    expectation: ExpectationInput.optional(),
  })
  .refine((a) => (a.feedback !== undefined) !== (a.expectation !== undefined), {
    message: "exactly one of 'feedback' or 'expectation' must be set",
  });

/** For updates every field is optional; the update mask says which ones count. */
export const AssessmentPatchInput = z.object({
  ...Common,
  assessment_name: z.string().optional(),
  source: z.unknown().optional(),
  feedback: z.unknown().optional(),
  expectation: z.unknown().optional(),
});

const byIds = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
const prepareLookup = (db: Db) =>
  db
    .select()
    .from(assessments)
    .where(and(eq(assessments.assessmentId, sql.placeholder("a")), eq(assessments.traceId, sql.placeholder("t"))))
    .prepare();

export function requireAssessmentRow(db: Db, traceId: string, assessmentId: string): AssessmentRow {
  let q = byIds.get(db);
  if (!q) byIds.set(db, (q = prepareLookup(db)));
  const row = q.get({ a: assessmentId, t: traceId });
  if (!row) throw new NotFoundError(`Assessment with ID '${assessmentId}' not found for trace '${traceId}'.`);
  return row;
}
