// Picks the lib layer's MLflow implementation from the config: remote when MLFLOW_TRACKING_URI
// is set, Vigil's own store otherwise.
import type { Ctx } from "@/lib/core";
import { authorizedBackend } from "@/lib/backend/authorized";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { MlflowClient } from "@/lib/mlflow/client";
import { localExperimentId } from "./linked";
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

/** The backend for ctx's actor: roles and experiment scope are checked above the port, the same for both. */
export function backendFor(ctx: Ctx, signal?: AbortSignal): MlflowBackend {
  if (isRemote(ctx)) return authorizedBackend(remoteBackend(mlflowClientFor(ctx, signal)), ctx.actor, (id) => localExperimentId(ctx.db, id));
  return authorizedBackend(embeddedBackend(ctx), ctx.actor, (id) => (/^\d+$/.test(id) ? Number(id) : null));
}
