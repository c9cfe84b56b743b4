// Picks the lib layer's MLflow implementation from the config: remote when MLFLOW_TRACKING_URI
// is set, Vigil's own store otherwise.
import type { Ctx } from "@/lib/core";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { MlflowClient } from "@/lib/mlflow/client";
import { reachabilityRecorder } from "./status";

export function isRemote(ctx: Pick<Ctx, "config">): boolean {
  return Boolean(ctx.config.MLFLOW_TRACKING_URI);
}

export function mlflowClientFor(ctx: Ctx, signal?: AbortSignal): MlflowClient {
  const c = ctx.config;
  if (!c.MLFLOW_TRACKING_URI) throw new Error("MLFLOW_TRACKING_URI is not set");
  return new MlflowClient({
    trackingUri: c.MLFLOW_TRACKING_URI,
    token: c.MLFLOW_TRACKING_TOKEN,
    username: c.MLFLOW_TRACKING_USERNAME,
    password: c.MLFLOW_TRACKING_PASSWORD,
    fetch: ctx.fetch,
    timeoutMs: c.VIGIL_REMOTE_TIMEOUT_MS,
    maxAttempts: c.VIGIL_REMOTE_MAX_ATTEMPTS,
    onReachability: reachabilityRecorder(ctx.db),
    signal,
  });
}

export function backendFor(ctx: Ctx, signal?: AbortSignal): MlflowBackend {
  return isRemote(ctx) ? remoteBackend(mlflowClientFor(ctx, signal)) : embeddedBackend(ctx);
}
