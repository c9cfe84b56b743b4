// Whether the remote MLflow answers: every HTTP attempt of the client reports here (throttled),
// and the dashboard and /api/v1/health read it, so on-call staff see "MLflow unreachable".
import type { Db } from "@/db/client";
import { requireRole, type VerbArgs } from "@/lib/core";
import type { Config } from "@/lib/core";

export interface Reachability {
  reachable: boolean;
  error?: string;
  at: number;
}

/** How often an unchanged state is written again (the row says when MLflow last answered). */
const REFRESH_MS = 5_000;

export function reachabilityRecorder(db: Db): (r: Reachability) => void {
  let last: { reachable: boolean; at: number } | null = null;
  const upsert = db.$client.prepare(
    `INSERT INTO remote_status (id, last_ok_at, last_error_at, last_error) VALUES (1, @ok, @errAt, @err)
     ON CONFLICT (id) DO UPDATE SET last_ok_at = COALESCE(@ok, last_ok_at),
       last_error_at = COALESCE(@errAt, last_error_at), last_error = COALESCE(@err, last_error)`,
  );
  return (r) => {
    if (last && last.reachable === r.reachable && r.at - last.at < REFRESH_MS) return;
    last = { reachable: r.reachable, at: r.at };
    try {
      upsert.run({ ok: r.reachable ? r.at : null, errAt: r.reachable ? null : r.at, err: r.reachable ? null : (r.error ?? "no answer") });
    } catch {
      // A busy database must not fail the request that reported; the next report writes it.
      last = null;
    }
  };
}

export interface RemoteStatus {
  mode: "embedded" | "remote";
  /** The tracking URI without credentials. */
  trackingUri: string | null;
  /** null until Vigil has tried to reach MLflow. */
  reachable: boolean | null;
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
}

export function redactUri(uri: string): string {
  try {
    const u = new URL(uri);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URI)";
  }
}

export function remoteStatusOf(db: Db, config: Config): RemoteStatus {
  if (!config.MLFLOW_TRACKING_URI) return { mode: "embedded", trackingUri: null, reachable: null, lastOkAt: null, lastErrorAt: null, lastError: null };
  const row = db.$client.prepare("SELECT last_ok_at, last_error_at, last_error FROM remote_status WHERE id = 1").get() as
    | { last_ok_at: number | null; last_error_at: number | null; last_error: string | null }
    | undefined;
  const ok = row?.last_ok_at ?? null;
  const err = row?.last_error_at ?? null;
  return {
    mode: "remote",
    trackingUri: redactUri(config.MLFLOW_TRACKING_URI),
    reachable: ok === null && err === null ? null : (ok ?? -1) >= (err ?? -1),
    lastOkAt: ok,
    lastErrorAt: err,
    lastError: row?.last_error ?? null,
  };
}

/** The remote MLflow's state for the dashboard and the health route (viewer). */
export function getRemoteStatus({ ctx }: VerbArgs<Record<string, never>>): RemoteStatus {
  requireRole(ctx.actor, "viewer");
  return remoteStatusOf(ctx.db, ctx.config);
}
