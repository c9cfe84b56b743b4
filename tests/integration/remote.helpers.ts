// Two Vigils for remote-mode tests: a store (a Vigil acting as the MLflow server, over real HTTP)
// and a monitor (a Vigil with its own SQLite file whose engine works against the store).
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import type { MlflowBackend } from "@/lib/backend/types";
import { makeEngineCtx, type EngineCtx } from "@/lib/engine/engine-context";
import { isBusy, pass } from "@/lib/engine/worker";
import { JudgePool } from "@/lib/engine/task-step";
import { backendFor, remoteStore, type RemoteCtx } from "@/lib/remote";
import { tempDbPath, testCtx } from "../helpers/server";

export interface Monitor {
  ctx: Ctx;
  /** The monitor's engine, working against the store through the MLflow-REST store. */
  e: EngineCtx;
  /** That store's settings (backend, page size, last sync). */
  rc: RemoteCtx;
  close(): void;
}

/** A second engine on the monitor's database (another worker), against the same backend. */
export function secondEngine(m: Monitor, overrides: Partial<EngineCtx> = {}): EngineCtx {
  return makeEngineCtx(
    m.ctx,
    remoteStore(m.rc.backend, (rc) => (rc.pageSize = 7)),
    () => {},
    { random: () => 0.5, ...overrides },
  );
}

/**
 * A monitoring Vigil on a fresh SQLite file, whose engine uses `backend`, or without one, the
 * backend its config selects (MLFLOW_TRACKING_URI), as the worker does.
 */
export function startMonitor(backend: MlflowBackend | null, env: Record<string, string> = {}): Monitor {
  const tmp = tempDbPath("vigil-monitor-");
  const config = parseConfig({
    DATABASE_URL: tmp.file,
    VIGIL_DEMO: "0",
    VIGIL_REMOTE_BUFFER_MS: "0",
    VIGIL_RETRY_BASE_MS: "1",
    VIGIL_RETRY_MAX_MS: "5",
    ...env,
  });
  const db = openDb(config.databasePath);
  ensureDefaultExperiment(db);
  const ctx = testCtx(db, config);
  let rc: RemoteCtx | undefined;
  const e = makeEngineCtx(
    ctx,
    remoteStore(backend ?? backendFor(ctx), (r) => ((r.pageSize = 7), (rc = r))),
    () => {},
    { random: () => 0.5 },
  );
  return {
    ctx,
    e,
    rc: rc!,
    close() {
      db.$client.close();
      tmp.cleanup();
    },
  };
}

/** Queued pairs due within a second whose scorer is not paused (those wait for a resume). */
export function duePairs(m: Monitor): number {
  return m.ctx.db.$client
    .prepare(
      `SELECT COUNT(*) FROM engine_tasks t WHERE next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM engine_scorer_runtime r WHERE r.scorer_id = t.scorer_id AND r.account_paused_reason IS NOT NULL)`,
    )
    .pluck()
    .get(m.ctx.now() + 1000) as number;
}

/**
 * Runs engine passes (judge calls awaited) until two passes in a row find nothing to do and no
 * queued pair is due within a second. With `tolerate`, a failed pass (MLflow down) is counted
 * and the loop goes on; `resync` makes every pass pull from MLflow.
 */
export async function drainRemote(
  m: Monitor,
  o: { maxPasses?: number; tolerate?: boolean; resync?: boolean } = {},
): Promise<{ passes: number; failures: number }> {
  const judges = new JudgePool(m.e);
  let idle = 0;
  let failures = 0;
  for (let n = 1; n <= (o.maxPasses ?? 300); n++) {
    if (o.resync) m.rc.lastSyncAt = -Infinity;
    let busy: boolean;
    try {
      busy = isBusy(await pass(m.e, judges));
    } catch (e) {
      if (!o.tolerate) throw e;
      failures++;
      busy = true;
    }
    await judges.drain();
    const queued = duePairs(m);
    idle = busy || queued > 0 ? 0 : idle + 1;
    if (idle >= 2) return { passes: n, failures };
    if (queued > 0 && !busy) await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`remote engine still busy after ${o.maxPasses ?? 300} passes`);
}

/** Vigil-written assessments on the store's traces, as "trace|name" (duplicates kept). */
export function vigilAssessments(store: Ctx, experimentId: number | string): string[] {
  const rows = store.db.$client
    .prepare(
      `SELECT trace_id, name FROM assessments WHERE experiment_id = ? AND json_extract(metadata, '$."vigil.scorer_id"') IS NOT NULL
       ORDER BY trace_id, name`,
    )
    .all(Number(experimentId)) as { trace_id: string; name: string }[];
  return rows.map((r) => `${r.trace_id}|${r.name}`);
}

/** The database a real worker process (tests/helpers/worker-process.ts) shares with the test, on a fresh file. */
export function workerDatabase(prefix: string): { db: Db; ctx: Ctx; file: string; close(): void } {
  const tmp = tempDbPath(prefix);
  const db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  return {
    db,
    ctx: testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" })),
    file: tmp.file,
    close() {
      db.$client.close();
      tmp.cleanup();
    },
  };
}

/** A remote-mode worker's settings for crash tests: fast polls, slow code scorers (a kill lands mid-work), short leases (a restart takes over). */
export function crashWorkerEnv(file: string, trackingUri: string, experiment: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: file,
    MLFLOW_TRACKING_URI: trackingUri,
    VIGIL_REMOTE_EXPERIMENTS: experiment,
    VIGIL_REMOTE_BUFFER_MS: "0",
    VIGIL_WORKER_POLL_MS: "20",
    VIGIL_ENGINE_BATCH: "10",
    VIGIL_ENGINE_TEST_DELAY_MS: "40",
    VIGIL_LEASE_MS: "500",
    ...extra,
  };
}
