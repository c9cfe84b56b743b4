// MLflow's experiment endpoints (/api/2.0/mlflow/experiments/...). Thin: parse, one verb, answer.
import {
  createExperiment,
  deleteExperiment,
  deleteExperimentTag,
  setExperimentTag,
  getExperiment,
  getExperimentByName,
  restoreExperiment,
  searchExperiments,
  updateExperiment,
  type CreateExperimentInput,
  type DeleteExperimentTagInput,
  type SetExperimentTagInput,
  type DeleteExperimentInput,
  type GetExperimentByNameInput,
  type GetExperimentInput,
  type RestoreExperimentInput,
  type SearchExperimentsInput,
  type UpdateExperimentInput,
} from "@/lib/experiments";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const BASE = "/api/2.0/mlflow/experiments";

/** Request fields: the query string for GET, the JSON body otherwise. Verbs validate them. */
function input<T>(req: ApiRequest): T {
  return readInput(req) as T;
}

export const experimentRoutes: Route[] = [
  {
    method: "POST",
    path: `${BASE}/create`,
    handler: (req, ctx) => ({ status: 200, json: createExperiment({ ctx, input: input<CreateExperimentInput>(req) }) }),
  },
  { method: "GET", path: `${BASE}/get`, handler: (req, ctx) => ({ status: 200, json: getExperiment({ ctx, input: input<GetExperimentInput>(req) }) }) },
  {
    method: "GET",
    path: `${BASE}/get-by-name`,
    handler: (req, ctx) => ({ status: 200, json: getExperimentByName({ ctx, input: input<GetExperimentByNameInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/search`,
    handler: (req, ctx) => ({ status: 200, json: searchExperiments({ ctx, input: input<SearchExperimentsInput>(req) }) }),
  },
  {
    method: "GET",
    path: `${BASE}/search`,
    handler: (req, ctx) => ({ status: 200, json: searchExperiments({ ctx, input: input<SearchExperimentsInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/delete`,
    handler: (req, ctx) => ({ status: 200, json: deleteExperiment({ ctx, input: input<DeleteExperimentInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/restore`,
    handler: (req, ctx) => ({ status: 200, json: restoreExperiment({ ctx, input: input<RestoreExperimentInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/update`,
    handler: (req, ctx) => ({ status: 200, json: updateExperiment({ ctx, input: input<UpdateExperimentInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/set-experiment-tag`,
    handler: (req, ctx) => ({ status: 200, json: setExperimentTag({ ctx, input: input<SetExperimentTagInput>(req) }) }),
  },
  {
    method: "POST",
    path: `${BASE}/delete-experiment-tag`,
    handler: (req, ctx) => ({ status: 200, json: deleteExperimentTag({ ctx, input: input<DeleteExperimentTagInput>(req) }) }),
  },
];
