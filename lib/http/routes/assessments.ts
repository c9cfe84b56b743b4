// MLflow's assessment endpoints under /api/3.0/mlflow/traces/{trace_id}/assessments.
import { createAssessment, deleteAssessment, getAssessment, updateAssessment, type CreateAssessmentInput, type UpdateAssessmentInput } from "@/lib/assessments";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const BASE = "/api/3.0/mlflow/traces/:trace_id/assessments";

function body<T>(req: ApiRequest, params: Record<string, string>): T {
  return { ...readInput(req), ...params } as T;
}

const ids = (req: ApiRequest) => ({ trace_id: req.params.trace_id!, assessment_id: req.params.assessment_id! });

export const assessmentRoutes: Route[] = [
  {
    method: "POST",
    path: BASE,
    handler: (req, ctx) => ({ status: 200, json: createAssessment({ ctx, input: body<CreateAssessmentInput>(req, { trace_id: req.params.trace_id! }) }) }),
  },
  { method: "GET", path: `${BASE}/:assessment_id`, handler: (req, ctx) => ({ status: 200, json: getAssessment({ ctx, input: ids(req) }) }) },
  {
    method: "PATCH",
    path: `${BASE}/:assessment_id`,
    handler: (req, ctx) => ({ status: 200, json: updateAssessment({ ctx, input: body<UpdateAssessmentInput>(req, ids(req)) }) }),
  },
  { method: "DELETE", path: `${BASE}/:assessment_id`, handler: (req, ctx) => ({ status: 200, json: deleteAssessment({ ctx, input: ids(req) }) }) },
];
