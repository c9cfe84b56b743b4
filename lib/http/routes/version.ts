// GET /version: MLflow's server answers its version as plain text; clients gate features on it.
import { MLFLOW_COMPAT_VERSION } from "@/lib/mlflow/version";
import type { Route } from "../types";

export const versionRoutes: Route[] = [
  { method: "GET", path: "/version", public: true, handler: () => ({ status: 200, body: MLFLOW_COMPAT_VERSION, contentType: "text/plain; charset=utf-8" }) },
];
