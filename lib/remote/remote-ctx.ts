// What the MLflow-REST store passes around: Vigil's ctx, the lease owner, the MLflow it works
// against and its paging settings. Built over an engine's settings, read at each use (a test
// may change them after creation).
import type { MlflowBackend } from "@/lib/backend/types";
import type { Ctx } from "@/lib/core";
import type { EngineCtx } from "@/lib/engine/engine-context";

export interface RemoteCtx {
  readonly ctx: Ctx;
  readonly workerId: string;
  readonly leaseMs: number;
  log(line: string): void;
  backend: MlflowBackend;
  /** Traces younger than this are left for a later pass (VIGIL_REMOTE_BUFFER_MS). */
  bufferMs: number;
  /** Traces per search page (MLflow allows at most 500). */
  pageSize: number;
  /** Assessment writes in flight at once. */
  writeConcurrency: number;
  /** When experiments and scorers were last pulled from MLflow (ms); -Infinity forces the next pull. */
  lastSyncAt: number;
}

export function makeRemoteCtx(e: EngineCtx, backend: MlflowBackend, overrides: Partial<RemoteCtx> = {}): RemoteCtx {
  return {
    get ctx() {
      return e.ctx;
    },
    get workerId() {
      return e.workerId;
    },
    get leaseMs() {
      return e.leaseMs;
    },
    log: (line) => e.log(line),
    backend,
    bufferMs: e.ctx.config.VIGIL_REMOTE_BUFFER_MS,
    pageSize: 500,
    writeConcurrency: 8,
    lastSyncAt: -Infinity,
    ...overrides,
  };
}
