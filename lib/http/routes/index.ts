import type { Route } from "../types";
import { healthRoutes } from "./health";

// Each domain adds its routes file here.
export const allRoutes: Route[] = [...healthRoutes];
import { otlpRoutes } from "./otlp"; allRoutes.push(...otlpRoutes); // OTLP/HTTP ingestion (/v1/traces)
import { experimentRoutes } from "./experiments"; allRoutes.push(...experimentRoutes); // MLflow experiments (/api/2.0/mlflow/experiments)
import { traceRoutes } from "./traces"; allRoutes.push(...traceRoutes); // MLflow traces v3 + v2 (/api/3.0|2.0/mlflow/traces)
import { assessmentRoutes } from "./assessments"; allRoutes.push(...assessmentRoutes); // MLflow assessments (/api/3.0/mlflow/traces/{id}/assessments)
