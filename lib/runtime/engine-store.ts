// Which store the engine works against, from the config: a remote MLflow when
// MLFLOW_TRACKING_URI is set, Vigil's own store otherwise. The one place that knows both.
import type { Ctx } from "@/lib/core";
import { embeddedStore } from "@/lib/embedded";
import { makeEngineCtx, type EngineCtx, type EngineEventSink, type StoreFactory } from "@/lib/engine/engine-context";
import { backendFor, isRemote, reachabilityEvents, remoteStore } from "@/lib/remote";

/** `event` hears MLflow going away and coming back (remote mode). */
export function storeFor(ctx: Ctx, signal?: AbortSignal, event?: EngineEventSink): StoreFactory {
  return isRemote(ctx) ? remoteStore(backendFor(ctx, signal, event && reachabilityEvents(ctx, event))) : embeddedStore;
}

/** An engine for `ctx` against the store its config selects. */
export function engineFor(ctx: Ctx, log: (line: string) => void = () => {}, overrides: Partial<EngineCtx> = {}, signal?: AbortSignal): EngineCtx {
  return makeEngineCtx(ctx, storeFor(ctx, signal), log, overrides);
}
