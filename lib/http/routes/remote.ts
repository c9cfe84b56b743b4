// Remote MLflow (issue 9): connection state, linked experiments, and who scores each.
import { getRemoteStatus, listRemoteExperiments, setExperimentScoring } from "@/lib/remote";
import { readInput } from "../body";
import type { Route } from "../types";

export const remoteRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/remote",
    handler: (_req, ctx) => ({ status: 200, json: { ...getRemoteStatus({ ctx, input: {} }), experiments: listRemoteExperiments({ ctx, input: {} }) } }),
  },
  {
    method: "POST",
    path: "/api/v1/remote/experiments/:experiment_id/scored-by",
    handler: (req, ctx) => {
      return {
        status: 200,
        json: setExperimentScoring({ ctx, input: { ...(readInput(req) as { scored_by: "vigil" | "mlflow" }), experiment_id: req.params.experiment_id } }),
      };
    },
  },
];
