// Whether the remote MLflow answers: every HTTP attempt of the client reports here (throttled),
// and the dashboard and /api/v1/health read it, so on-call staff see "MLflow unreachable".
import { cachedStatement } from "@/db/cached-statement";
import type { Db } from "@/db/client";
import { requireRole, type VerbArgs } from "@/lib/core";
import type { Config } from "@/lib/core";
import { vigilRunsOnline } from "./mlflow-runnable";
import { storedCapabilities } from "./server-version";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";

export interface Reachability {
  reachable: boolean;
  error?: string;
  at: number;
}

/** How often an unchanged state is written again (the row says when MLflow last answered). */
const REFRESH_MS = 5_000;

/** A change of MLflow's reachability: down (with why), or back (after how long). Not said at start. */
export type ReachabilityChange = { reachable: false; reason: string } | { reachable: true; downForMs: number };

export function reachabilityRecorder(db: Db, onChange: (c: ReachabilityChange) => void = () => {}): (r: Reachability) => void {
  let last: { reachable: boolean; at: number } | null = null;
  let downSince: number | null = null;
  const upsert = cachedStatement(
    db.$client,
    `INSERT INTO remote_status (id, last_ok_at, last_error_at, last_error) VALUES (1, @ok, @errAt, @err)
     ON CONFLICT (id) DO UPDATE SET last_ok_at = COALESCE(@ok, last_ok_at),
       last_error_at = COALESCE(@errAt, last_error_at), last_error = COALESCE(@err, last_error)`,
  );
  return (r) => {
    if (!r.reachable && downSince === null) {
      downSince = r.at;
      onChange({ reachable: false, reason: r.error ?? "no answer" });
    } else if (r.reachable && downSince !== null) {
      onChange({ reachable: true, downForMs: Math.max(0, r.at - downSince) });
      downSince = null;
    }
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
  /** GET /version's answer at the last sync; null before the first, or when the route is absent (see serverNote). */
  serverVersion: string | null;
  /** What the server's version changes (no online scoring, no /v1/traces, no /version); null when nothing. */
  serverNote: string | null;
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
  if (!config.MLFLOW_TRACKING_URI)
    return { mode: "embedded", trackingUri: null, reachable: null, lastOkAt: null, lastErrorAt: null, lastError: null, serverVersion: null, serverNote: null };
  const caps = storedCapabilities(db.$client);
  const row = cachedStatement(db.$client, "SELECT last_ok_at, last_error_at, last_error FROM remote_status WHERE id = 1").get() as
    { last_ok_at: number | null; last_error_at: number | null; last_error: string | null } | undefined;
  const ok = row?.last_ok_at ?? null;
  const err = row?.last_error_at ?? null;
  return {
    mode: "remote",
    trackingUri: redactUri(config.MLFLOW_TRACKING_URI),
    reachable: ok === null && err === null ? null : (ok ?? -1) >= (err ?? -1),
    lastOkAt: ok,
    lastErrorAt: err,
    lastError: row?.last_error ?? null,
    serverVersion: caps?.version ?? null,
    serverNote: caps?.note ?? null,
  };
}

/** The remote MLflow's state for the dashboard and the health route (viewer). */
export function getRemoteStatus({ ctx }: VerbArgs<Record<string, never>>): RemoteStatus {
  requireRole(ctx.actor, "viewer");
  return remoteStatusOf(ctx.db, ctx.config);
}

export interface RemoteExperimentStatus {
  experiment_id: string;
  name: string;
  remote_experiment_id: string;
  scored_by: "vigil" | "mlflow";
  /** How far online scoring has read (trace timestamp, ms). */
  cursor_ms: number;
  /**
   * Every trace before this time has its sampled pairs written to MLflow: the scan cursor, or
   * just before the oldest online pair still queued (MLflow down, a judge retrying, a pause).
   */
  checkpoint_ms: number;
  /** Online pairs queued and not yet written. */
  pending_online: number;
  /** Job pairs queued and not yet written. */
  pending_jobs: number;
  last_scan_at: number | null;
  /** Started scorers Vigil runs online here: all of them, or when MLflow scores, those it cannot run. */
  vigil_runs: string[];
  /** Started scorers MLflow's own online scoring runs here. */
  mlflow_runs: string[];
  /** The last refusal from MLflow for this experiment (say, a scorer it would not register). */
  last_error: string | null;
  last_error_at: number | null;
  /** Why MLflow cannot score here (a server without online scoring); null when it can. */
  scoring_note: string | null;
  /** Traces online scoring waits on because their spans cannot be read yet, at the last attempt. */
  unloadable_traces: number;
  /** Why (the last reason met), and when. */
  unloadable_reason: string | null;
  unloadable_at: number | null;
}

function splitRunners(scoredBy: "vigil" | "mlflow", scorers: { name: string; serialized: string }[]): { vigil_runs: string[]; mlflow_runs: string[] } {
  const vigil = scorers.filter((s) => vigilRunsOnline(scoredBy, s.serialized)).map((s) => s.name);
  return { vigil_runs: vigil, mlflow_runs: scorers.map((s) => s.name).filter((n) => !vigil.includes(n)) };
}

/** The linked remote experiments and how far their scoring has come (viewer). */
export function listRemoteExperiments({ ctx }: VerbArgs<Record<string, never>>): RemoteExperimentStatus[] {
  requireRole(ctx.actor, "viewer");
  const rows = ctx.db.$client
    .prepare(
      `SELECT r.experiment_id, e.name, r.remote_experiment_id, r.scored_by, c.timestamp_ms AS cursor_ts, r.last_scan_at, r.last_error, r.last_error_at,
         r.unloadable_traces, r.unloadable_reason, r.unloadable_at,
         (SELECT MIN(p.trace_time_ms) FROM engine_tasks p WHERE p.experiment_id = r.experiment_id AND p.job_id IS NULL) AS oldest,
         (SELECT COUNT(*) FROM engine_tasks p WHERE p.experiment_id = r.experiment_id AND p.job_id IS NULL) AS pending_online,
         (SELECT COUNT(*) FROM engine_tasks p WHERE p.experiment_id = r.experiment_id AND p.job_id IS NOT NULL) AS pending_jobs
       FROM remote_experiments r JOIN experiments e ON e.experiment_id = r.experiment_id JOIN checkpoints c ON c.experiment_id = r.experiment_id ORDER BY e.name`,
    )
    .all() as {
    experiment_id: number;
    name: string;
    remote_experiment_id: string;
    scored_by: "vigil" | "mlflow";
    cursor_ts: number;
    last_scan_at: number | null;
    last_error: string | null;
    last_error_at: number | null;
    unloadable_traces: number;
    unloadable_reason: string | null;
    unloadable_at: number | null;
    oldest: number | null;
    pending_online: number;
    pending_jobs: number;
  }[];
  const started = cachedStatement(
    ctx.db.$client,
    `SELECT s.name, (SELECT v.serialized_scorer FROM scorer_versions v WHERE v.scorer_id = s.scorer_id ORDER BY v.version DESC LIMIT 1) AS serialized
     FROM scorers s JOIN online_configs c ON c.scorer_id = s.scorer_id WHERE s.experiment_id = ? AND c.sample_rate > 0 ORDER BY s.name`,
  );
  const caps = storedCapabilities(ctx.db.$client);
  const mlflowCannot = caps !== null && !caps.onlineScoring;
  return (
    rows
      // A token scoped to one experiment sees that one only.
      .filter((r) => ctx.actor.experimentId == null || ctx.actor.experimentId === r.experiment_id)
      .map((r) => ({
        experiment_id: String(r.experiment_id),
        name: r.name,
        remote_experiment_id: r.remote_experiment_id,
        // Who scores in effect: Vigil when the server has no online scoring.
        scored_by: mlflowCannot ? ("vigil" as const) : r.scored_by,
        cursor_ms: r.cursor_ts,
        checkpoint_ms: r.oldest === null ? r.cursor_ts : Math.min(r.cursor_ts, r.oldest - 1),
        pending_online: r.pending_online,
        pending_jobs: r.pending_jobs,
        last_scan_at: r.last_scan_at,
        last_error: r.last_error,
        last_error_at: r.last_error_at,
        scoring_note: mlflowCannot ? caps.note : null,
        unloadable_traces: r.unloadable_traces,
        unloadable_reason: r.unloadable_reason,
        unloadable_at: r.unloadable_at,
        ...splitRunners(mlflowCannot ? "vigil" : r.scored_by, started.all(r.experiment_id) as { name: string; serialized: string }[]),
      }))
  );
}

/** Where an experiment's traces live: the (redacted) URI of the MLflow holding them, null for Vigil's own store. */
export function traceHomeOf(db: Db, config: Config, experimentId: number): string | null {
  return config.MLFLOW_TRACKING_URI && tracesHeldByMlflow(db, experimentId) ? redactUri(config.MLFLOW_TRACKING_URI) : null;
}
