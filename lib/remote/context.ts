// What the remote engine passes around: the engine's settings (retry policy, prices, scorer run
// options, lease owner) and the MLflow it works against.
import type { MlflowBackend } from "@/lib/backend/types";
import type { EngineCtx } from "@/lib/engine/engine-context";

export interface RemoteCtx {
  e: EngineCtx;
  backend: MlflowBackend;
  /** Traces younger than this are left for a later pass (VIGIL_REMOTE_BUFFER_MS). */
  bufferMs: number;
  /** Traces per search page (MLflow allows at most 500). */
  pageSize: number;
  /** Assessment writes in flight at once. */
  writeConcurrency: number;
}

export function makeRemoteCtx(e: EngineCtx, backend: MlflowBackend, overrides: Partial<RemoteCtx> = {}): RemoteCtx {
  return { e, backend, bufferMs: e.ctx.config.VIGIL_REMOTE_BUFFER_MS, pageSize: 500, writeConcurrency: 8, ...overrides };
}

export interface LinkRow {
  experiment_id: number;
  remote_experiment_id: string;
  scored_by: "vigil" | "mlflow";
  cursor_ts: number;
  cursor_trace_id: string;
}

export function links(rc: RemoteCtx): LinkRow[] {
  return rc.e.ctx.db.$client
    .prepare("SELECT experiment_id, remote_experiment_id, scored_by, cursor_ts, cursor_trace_id FROM remote_experiments ORDER BY experiment_id")
    .all() as LinkRow[];
}

export function linkOf(rc: RemoteCtx, experimentId: number): LinkRow | undefined {
  return rc.e.ctx.db.$client
    .prepare("SELECT experiment_id, remote_experiment_id, scored_by, cursor_ts, cursor_trace_id FROM remote_experiments WHERE experiment_id = ?")
    .get(experimentId) as LinkRow | undefined;
}
