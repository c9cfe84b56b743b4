// Two Vigils for remote-mode tests: a store (a Vigil acting as the MLflow server, over real HTTP)
// and a monitor (a Vigil with its own SQLite file whose engine works against the store).
import { openDb } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import type { MlflowBackend } from "@/lib/backend/types";
import { engineFor } from "@/lib/runtime/engine-store";
import { isBusy, pass } from "@/lib/engine/worker";
import { JudgePool } from "@/lib/engine/task-step";
import { backendFor, makeRemoteCtx, remoteBusy, remotePass, type RemoteCtx, type RemoteLoopState } from "@/lib/remote";
import { tempDbPath, testCtx } from "../helpers/server";

export interface Monitor {
  ctx: Ctx;
  rc: RemoteCtx;
  state: RemoteLoopState;
  close(): void;
}

/**
 * A monitoring Vigil on a fresh SQLite file, whose remote engine uses `backend`, or without
 * one, the backend its config selects (MLFLOW_TRACKING_URI), as the worker does.
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
  const e = engineFor(ctx, () => {}, { random: () => 0.5 });
  return {
    ctx,
    rc: makeRemoteCtx(e, backend ?? backendFor(ctx), { pageSize: 7 }),
    state: { lastSyncAt: -Infinity },
    close() {
      db.$client.close();
      tmp.cleanup();
    },
  };
}

/**
 * Runs remote passes (and the local pass, as the worker does) until two passes in a row find
 * nothing to do and no queued pair is due within a second. With `tolerate`, a failed pass (MLflow down) is counted and the loop goes on.
 */
export async function drainRemote(m: Monitor, o: { maxPasses?: number; tolerate?: boolean; resync?: boolean } = {}): Promise<{ passes: number; failures: number }> {
  const judges = new JudgePool(m.rc.e);
  let idle = 0;
  let failures = 0;
  for (let n = 1; n <= (o.maxPasses ?? 300); n++) {
    if (o.resync) m.state.lastSyncAt = -Infinity;
    let busy: boolean;
    try {
      busy = isBusy(await pass(m.rc.e, judges)) || remoteBusy(await remotePass(m.rc, m.state));
    } catch (e) {
      if (!o.tolerate) throw e;
      failures++;
      busy = true;
    }
    // Pairs due soon (retries back off by milliseconds here); pairs held by a pause are not.
    const queued = m.ctx.db.$client.prepare("SELECT COUNT(*) FROM remote_pairs WHERE next_attempt_at <= ?").pluck().get(m.ctx.now() + 1000) as number;
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
