import { and, desc, eq, isNotNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { assessments } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { assessmentFromRow } from "@/lib/mlflow/convert";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import type { Assessment } from "@/lib/mlflow/types";

export const ListScoredAssessmentsInput = z
  .object({
    experimentId: experimentIdString,
    /** A scorer's assessments (its name is the assessment name)… */
    name: z.string().min(1).optional(),
    /** …or a job's (its id is the run id its assessments carry). */
    runId: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(200).default(25),
  })
  .refine((i) => i.name !== undefined || i.runId !== undefined, "give a scorer name or a run id");
export type ListScoredAssessmentsInput = z.input<typeof ListScoredAssessmentsInput>;

export interface ScoredAssessment extends Assessment {
  scorer_version: number | null;
  run_id: string | null;
  create_time_ms: number;
}

/** The newest engine-made assessments of a scorer or a job, each linking to its trace. */
export function listScoredAssessments({ ctx, input }: VerbArgs<ListScoredAssessmentsInput>): ScoredAssessment[] {
  const i = ListScoredAssessmentsInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const where: SQL[] = [eq(assessments.experimentId, i.experimentId), isNotNull(assessments.scorerId)];
  if (i.name) where.push(eq(assessments.name, i.name));
  if (i.runId) where.push(eq(assessments.runId, i.runId));
  const rows = ctx.db
    .select()
    .from(assessments)
    .where(and(...where))
    .orderBy(desc(assessments.createTime), desc(assessments.assessmentId))
    .limit(i.limit)
    .all();
  return rows.map((r) => ({ ...assessmentFromRow(r), scorer_version: r.scorerVersion, run_id: r.runId, create_time_ms: r.createTime }));
}
