import { z } from "zod";
import { InvalidParameterError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { createAssessment } from "@/lib/assessments";
import type { Assessment } from "@/lib/mlflow/types";
import { requireTraceRow } from "@/lib/traces/trace-row";
import { findScorerRow, nameField } from "../store";
import { ratingOf, ratingOfJson, type Rating } from "./values";

export const LabelTraceInput = z.object({
  trace_id: z.string().min(1, "trace_id is required"),
  name: nameField,
  value: z.unknown(),
  rationale: z.string().max(4000).optional(),
});
export type LabelTraceInput = z.input<typeof LabelTraceInput>;

const VERDICTS = new Set(["yes", "no", "unknown"]);

/**
 * What a label for a judge must look like, from what the judge answers: a yes/no judge takes
 * yes/no (or true/false), a numeric one a number, another categorical one a string. Pure.
 * Returns the error message naming the field, or null.
 */
export function labelProblem(label: Rating | null, judge: Rating[], name: string): string | null {
  if (!label) return `Invalid value for parameter 'value': a label must be a string, a boolean or a number.`;
  if (judge.length === 0) return null;
  const kind = judge[0]!.kind;
  if (label.kind !== kind) {
    return `Invalid value for parameter 'value': scorer '${name}' answers ${kind === "numeric" ? "numbers" : "categories"}, so its labels must too (got ${label.kind === "numeric" ? "a number" : "a category"}).`;
  }
  if (
    kind === "categorical" &&
    judge.every((r) => r.kind === "categorical" && VERDICTS.has(r.key)) &&
    !(label.kind === "categorical" && VERDICTS.has(label.key))
  ) {
    return `Invalid value for parameter 'value': scorer '${name}' answers yes or no; a label must be yes, no or unknown.`;
  }
  return null;
}

/**
 * A person's label for a judge on one trace: MLflow HUMAN feedback with the judge's name (source
 * id: who labelled), so the same label logged with the MLflow SDK or REST counts the same.
 */
export function labelTrace({ ctx, input }: VerbArgs<LabelTraceInput>): { assessment: Assessment } {
  const i = LabelTraceInput.parse(input);
  const trace = requireTraceRow(ctx.db, i.trace_id);
  requireRole(ctx.actor, "operator", trace.experimentId);
  if (!findScorerRow(ctx.db, trace.experimentId, i.name)) throw new NotFoundError(`Scorer '${i.name}' is not registered in experiment ${trace.experimentId}.`);
  const judge = ctx.db.$client
    .prepare(
      `SELECT value FROM assessments WHERE experiment_id = ? AND name = ? AND scorer_id IS NOT NULL AND error IS NULL AND kind = 'feedback'
       ORDER BY create_time DESC LIMIT 50`,
    )
    .pluck()
    .all(trace.experimentId, i.name) as string[];
  const ratings = judge.map((v) => ratingOfJson(v)).filter((r): r is Rating => r !== null);
  const problem = labelProblem(ratingOf(i.value), ratings, i.name);
  if (problem) throw new InvalidParameterError(problem);
  return createAssessment({
    ctx,
    input: {
      trace_id: i.trace_id,
      assessment: {
        assessment_name: i.name,
        source: { source_type: "HUMAN", source_id: ctx.actor.id },
        feedback: { value: i.value },
        ...(i.rationale ? { rationale: i.rationale } : {}),
      },
    },
  });
}
