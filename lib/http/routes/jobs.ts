// Vigil's own REST for on-demand assess and backfill jobs (fixed paths under /api/v1/jobs).
import { cancelJob, createAssessJob, createBackfillJob, getJob, listJobs, type CreateAssessJobInput, type CreateBackfillJobInput } from "@/lib/engine/jobs";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const BASE = "/api/v1/jobs";

function body<T>(req: ApiRequest): T {
  return readInput(req) as T;
}

export const jobRoutes: Route[] = [
  { method: "POST", path: `${BASE}/assess`, handler: (req, ctx) => ({ status: 202, json: createAssessJob({ ctx, input: body<CreateAssessJobInput>(req) }) }) },
  {
    method: "POST",
    path: `${BASE}/backfill`,
    handler: (req, ctx) => ({ status: 202, json: createBackfillJob({ ctx, input: body<CreateBackfillJobInput>(req) }) }),
  },
  { method: "GET", path: BASE, handler: (req, ctx) => ({ status: 200, json: listJobs({ ctx, input: readInput(req) }) }) },
  { method: "GET", path: `${BASE}/:job_id`, handler: (req, ctx) => ({ status: 200, json: getJob({ ctx, input: { job_id: req.params.job_id! } }) }) },
  { method: "POST", path: `${BASE}/:job_id/cancel`, handler: (req, ctx) => ({ status: 200, json: cancelJob({ ctx, input: { job_id: req.params.job_id! } }) }) },
];
