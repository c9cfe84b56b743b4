import type { Route } from "../types";
import { alertRoutes } from "./alerts";
import { archivalRoutes } from "./archival";
import { artifactRoutes } from "./artifacts";
import { assessmentRoutes } from "./assessments";
import { auditRoutes } from "./audit";
import { authRoutes } from "./auth";
import { experimentRoutes } from "./experiments";
import { healthRoutes } from "./health";
import { jobRoutes } from "./jobs";
import { otlpRoutes } from "./otlp";
import { remoteRoutes } from "./remote";
import { runRoutes } from "./runs";
import { scorerRoutes } from "./scorers";
import { shadowRoutes } from "./shadows";
import { traceRoutes } from "./traces";
import { trendRoutes } from "./trends";
import { versionRoutes } from "./version";

// Each domain adds its routes file here (one import, one spread).
export const allRoutes: Route[] = [
  ...healthRoutes,
  ...versionRoutes, // MLflow server version (/version)
  ...auditRoutes, // audit log (/api/v1/audit)
  ...authRoutes, // sign-in, users, API tokens (/api/v1/auth, /users, /tokens)
  ...otlpRoutes, // OTLP/HTTP ingestion (/v1/traces)
  ...experimentRoutes, // MLflow experiments (/api/2.0/mlflow/experiments)
  ...traceRoutes, // MLflow traces v3 + v2
  ...runRoutes, // MLflow runs as mlflow.genai.evaluate uses them, trace links (/api/2.0/mlflow/runs, traces/link-*)
  ...artifactRoutes, // MLflow artifact proxy, trace data only (/api/2.0/mlflow-artifacts/artifacts)
  ...assessmentRoutes, // MLflow assessments (/api/3.0/mlflow/traces/{id}/assessments)
  ...scorerRoutes, // MLflow scorers (/api/3.0/mlflow/scorers) + Vigil pause/resume (/api/v1/scorers)
  ...shadowRoutes, // shadow versions, agreement, people's labels (/api/v1/scorers/{name}/shadows..., /api/v1/traces/{id}/labels)
  ...archivalRoutes, // archival settings, status, export (/api/v1/archival)
  ...trendRoutes, // score trends from rollups (/api/v1/trends)
  ...jobRoutes, // assess and backfill jobs (/api/v1/jobs)
  ...remoteRoutes, // remote MLflow status and who scores (/api/v1/remote)
  ...alertRoutes, // alerts, rules, silences, channels (/api/v1/alerts)
];
