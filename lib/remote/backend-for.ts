// Picks the lib layer's MLflow implementation from the config: remote when MLFLOW_TRACKING_URI
// is set, Vigil's own store otherwise.
import type { Ctx } from "@/lib/core";
import { authorizedBackend } from "@/lib/backend/authorized";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { MlflowClient } from "@/lib/mlflow/client";
import { reachabilityRecorder, redactUri, type ReachabilityChange } from "./status";
import type { EngineEventSink } from "@/lib/engine/engine-context";
import { localExperimentId } from "./linked";

export function isRemote(ctx: Pick<Ctx, "config">): boolean {
  return Boolean(ctx.config.MLFLOW_TRACKING_URI);
}

/** Engine events for MLflow going away and coming back (the worker logs them). */
export function reachabilityEvents(ctx: Ctx, event: EngineEventSink): (c: ReachabilityChange) => void {
  const trackingUri = redactUri(ctx.config.MLFLOW_TRACKING_URI ?? "");
  return (c) =>
    event(
      c.reachable
        ? { name: "mlflow.reachable", fields: { tracking_uri: trackingUri, down_for_ms: c.downForMs } }
        : { name: "mlflow.unreachable", fields: { tracking_uri: trackingUri, reason: c.reason } },
    );
}

export function mlflowClientFor(ctx: Ctx, signal?: AbortSignal, onChange?: (c: ReachabilityChange) => void): MlflowClient {
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
    onReachability: reachabilityRecorder(ctx.db, onChange),
    signal,
  });
}

/** The backend for ctx's actor: roles and experiment scope are checked above the port, the same for both. */
export function backendFor(ctx: Ctx, signal?: AbortSignal, onChange?: (c: ReachabilityChange) => void): MlflowBackend {
  if (isRemote(ctx)) return authorizedBackend(remoteBackend(mlflowClientFor(ctx, signal, onChange)), ctx.actor, (id) => localExperimentId(ctx.db, id));
  return authorizedBackend(embeddedBackend(ctx), ctx.actor, (id) => (/^\d+$/.test(id) ? Number(id) : null));
}
