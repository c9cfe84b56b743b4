// MLflow's scorer endpoints (/api/3.0/mlflow/scorers/...) with MLflow's JSON, plus Vigil's own
// (/api/v1/scorers...): status, runnability, start/stop, pause and resume. Thin: parse, one verb, answer.
import {
  deleteScorer,
  getOnlineConfigs,
  getScorer,
  listScorers,
  listScorerVersions,
  pauseScorer,
  registerScorer,
  resumeScorer,
  setOnlineConfig,
  startScorer,
  stopScorer,
  toMlflowScorer,
  toOnlineConfig,
  toRegisterResponse,
  toVigilScorer,
  type DeleteScorerInput,
  type GetOnlineConfigsInput,
  type GetScorerInput,
  type ListScorersInput,
  type ListScorerVersionsInput,
  type PauseScorerInput,
  type RegisterScorerInput,
  type ResumeScorerInput,
  type SetOnlineConfigInput,
  type StartScorerInput,
  type StopScorerInput,
} from "@/lib/monitoring";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const MLFLOW = "/api/3.0/mlflow/scorers";
const VIGIL = "/api/v1/scorers";

/** Request fields: the query string for GET (and body-less DELETE), the JSON body otherwise. */
function input<T>(req: ApiRequest, params: Record<string, string> = {}): T {
  return { ...readInput(req), ...params } as T;
}

const ok = (json: unknown) => ({ status: 200, json });

export const scorerRoutes: Route[] = [
  {
    method: "POST",
    path: `${MLFLOW}/register`,
    handler: (req, ctx) => ok(toRegisterResponse(registerScorer({ ctx, input: input<RegisterScorerInput>(req) }))),
  },
  {
    method: "GET",
    path: `${MLFLOW}/list`,
    handler: (req, ctx) => ok({ scorers: listScorers({ ctx, input: input<ListScorersInput>(req) }).map(toMlflowScorer) }),
  },
  {
    method: "GET",
    path: `${MLFLOW}/versions`,
    handler: (req, ctx) => ok({ scorers: listScorerVersions({ ctx, input: input<ListScorerVersionsInput>(req) }).map(toMlflowScorer) }),
  },
  { method: "GET", path: `${MLFLOW}/get`, handler: (req, ctx) => ok({ scorer: toMlflowScorer(getScorer({ ctx, input: input<GetScorerInput>(req) })) }) },
  {
    method: "DELETE",
    path: `${MLFLOW}/delete`,
    handler: (req, ctx) => {
      deleteScorer({ ctx, input: input<DeleteScorerInput>(req) });
      return ok({});
    },
  },
  {
    method: "GET",
    path: `${MLFLOW}/online-configs`,
    handler: (req, ctx) => ok({ configs: getOnlineConfigs({ ctx, input: input<GetOnlineConfigsInput>(req) }) }),
  },
  {
    method: "PUT",
    path: `${MLFLOW}/online-config`,
    handler: (req, ctx) => ok({ config: toOnlineConfig(setOnlineConfig({ ctx, input: input<SetOnlineConfigInput>(req) })) }),
  },

  { method: "GET", path: VIGIL, handler: (req, ctx) => ok({ scorers: listScorers({ ctx, input: input<ListScorersInput>(req) }).map(toVigilScorer) }) },
  {
    method: "GET",
    path: `${VIGIL}/:name`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(getScorer({ ctx, input: input<GetScorerInput>(req, { name: req.params.name! }) })) }),
  },
  // SDK-style start/stop for operators: start refuses a rate of 0, unlike MLflow's PUT online-config.
  {
    method: "POST",
    path: `${VIGIL}/:name/start`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(startScorer({ ctx, input: input<StartScorerInput>(req, { name: req.params.name! }) })) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/stop`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(stopScorer({ ctx, input: input<StopScorerInput>(req, { name: req.params.name! }) })) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/pause`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(pauseScorer({ ctx, input: input<PauseScorerInput>(req, { name: req.params.name! }) })) }),
  },
  {
    method: "POST",
    path: `${VIGIL}/:name/resume`,
    handler: (req, ctx) => ok({ scorer: toVigilScorer(resumeScorer({ ctx, input: input<ResumeScorerInput>(req, { name: req.params.name! }) })) }),
  },
];
