// Mirrors the remote MLflow's experiments into Vigil's `experiments` table, so scorers, jobs,
// funnels and trends hang off a local id as in embedded mode, and links each one: which remote
// experiment it is, who scores it, and where online scoring starts.
import { cachedStatement } from "@/db/cached-statement";
import type Database from "better-sqlite3";
import type { RemoteExperiment } from "@/lib/backend/types";
import { systemActor } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import type { RemoteCtx } from "./remote-ctx";
import { setCursor } from "./links";

export type ScoredBy = "vigil" | "mlflow";

/** The experiments to monitor: the names in VIGIL_REMOTE_EXPERIMENTS, or every active one. */
export function wanted(e: RemoteExperiment, names: readonly string[] | null): boolean {
  if (e.lifecycle_stage !== "active") return false;
  return names === null || names.includes(e.name);
}

export function parseNames(setting: string | undefined): string[] | null {
  const names = (setting ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? names : null;
}

/**
 * The local id for a remote experiment: the same number when it fits and is free (what a user
 * sees in the dashboard matches MLflow's UI), otherwise the next free id.
 */
export function localIdFor(db: Database.Database, remoteId: string): number {
  const n = Number(remoteId);
  const linkedTo = cachedStatement(db, "SELECT remote_experiment_id FROM remote_experiments WHERE experiment_id = ?").pluck();
  if (/^\d+$/.test(remoteId) && Number.isSafeInteger(n) && linkedTo.get(n) === undefined) return n;
  const max = cachedStatement(db, "SELECT MAX(experiment_id) FROM experiments").pluck().get() as number | null;
  return Math.max(max ?? 0, 1_000_000_000) + 1;
}

/** Who scores a newly linked experiment under "auto": MLflow, if it already samples with any scorer. */
async function defaultScoredBy(rc: RemoteCtx, remoteId: string, onlineScoring: boolean): Promise<ScoredBy> {
  const setting = rc.ctx.config.VIGIL_REMOTE_SCORED_BY;
  if (setting !== "auto") return setting;
  // A server without online scoring has no configs to ask about, and cannot be sampling.
  if (!onlineScoring) return "vigil";
  const scorers = await rc.backend.listScorers(remoteId);
  const ids = scorers.map((s) => s.scorer_id).filter((x): x is string => Boolean(x));
  if (ids.length === 0) return "vigil";
  const configs = await rc.backend.getOnlineConfigs(ids);
  return configs.some((c) => c.sample_rate > 0) ? "mlflow" : "vigil";
}

function mirror(db: Database.Database, localId: number, e: RemoteExperiment, now: number): void {
  // Names are unique locally: a stale local experiment holding this name steps aside.
  cachedStatement(db, "UPDATE experiments SET name = name || ' (local ' || experiment_id || ')' WHERE name = ? AND experiment_id != ?").run(e.name, localId);
  cachedStatement(
    db,
    `INSERT INTO experiments (experiment_id, name, tags, lifecycle_stage, creation_time, last_update_time)
     VALUES (@localId, @name, @tags, 'active', @createdAt, @updatedAt)
     ON CONFLICT (experiment_id) DO UPDATE SET name = excluded.name, tags = excluded.tags, lifecycle_stage = 'active', last_update_time = excluded.last_update_time`,
  ).run({ localId, name: e.name, tags: JSON.stringify(e.tags ?? {}), createdAt: e.creation_time ?? now, updatedAt: e.last_update_time ?? now });
}

/**
 * Experiments deleted on MLflow (or no longer listed in VIGIL_REMOTE_EXPERIMENTS) are unlinked:
 * the local mirror is marked deleted and the pairs still queued for it are dropped (engine_tasks), since there
 * is no trace left to write them on. Jobs of the experiment fail with the reason.
 */
function unlinkGone(rc: RemoteCtx, active: ReadonlySet<string>): void {
  const db = rc.ctx.db.$client;
  const gone = (
    cachedStatement(db, "SELECT experiment_id, remote_experiment_id FROM remote_experiments").all() as { experiment_id: number; remote_experiment_id: string }[]
  ).filter((l) => !active.has(l.remote_experiment_id));
  const now = rc.ctx.now();
  for (const l of gone) {
    db.transaction(() => {
      cachedStatement(db, "DELETE FROM remote_experiments WHERE experiment_id = ?").run(l.experiment_id);
      cachedStatement(db, "DELETE FROM engine_tasks WHERE experiment_id = ?").run(l.experiment_id);
      cachedStatement(db, "DELETE FROM checkpoints WHERE experiment_id = ?").run(l.experiment_id);
      cachedStatement(db, "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?").run(now, l.experiment_id);
      cachedStatement(
        db,
        "UPDATE jobs SET status = 'FAILED', error = ?, finished_at = ?, lease_owner = NULL WHERE experiment_id = ? AND status IN ('QUEUED', 'RUNNING')",
      ).run(`Experiment ${l.remote_experiment_id} is no longer monitored (deleted on MLflow, or left out of VIGIL_REMOTE_EXPERIMENTS).`, now, l.experiment_id);
      recordAudit(
        { db: rc.ctx.db, actor: systemActor, now: rc.ctx.now },
        {
          action: "remote.unlink",
          entityType: "experiment",
          entityId: String(l.experiment_id),
          experimentId: l.experiment_id,
          before: { remote_experiment_id: l.remote_experiment_id },
        },
      );
    }).immediate();
  }
}

/** Links new remote experiments and refreshes the names of linked ones; returns how many were new. */
export async function syncRemoteExperiments(rc: RemoteCtx, onlineScoring = true): Promise<number> {
  const db = rc.ctx.db.$client;
  const names = parseNames(rc.ctx.config.VIGIL_REMOTE_EXPERIMENTS);
  const found: RemoteExperiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await rc.backend.searchExperiments({ maxResults: 1000, pageToken });
    found.push(...page.experiments.filter((e) => wanted(e, names)));
    pageToken = page.nextPageToken;
  } while (pageToken);

  unlinkGone(rc, new Set(found.map((e) => e.experiment_id)));
  let added = 0;
  for (const e of found) {
    const now = rc.ctx.now();
    const linked = cachedStatement(db, "SELECT experiment_id FROM remote_experiments WHERE remote_experiment_id = ?").pluck().get(e.experiment_id) as
      number | undefined;
    if (linked !== undefined) {
      db.transaction(() => mirror(db, linked, e, now)).immediate();
      continue;
    }
    const scoredBy = await defaultScoredBy(rc, e.experiment_id, onlineScoring);
    const start = now - rc.ctx.config.VIGIL_REMOTE_LOOKBACK_MS;
    db.transaction(() => {
      const localId = localIdFor(db, e.experiment_id);
      mirror(db, localId, e, now);
      cachedStatement(
        db,
        `INSERT INTO remote_experiments (experiment_id, remote_experiment_id, scored_by, linked_at, updated_at) VALUES (@localId, @remoteId, @scoredBy, @now, @now)`,
      ).run({ localId, remoteId: e.experiment_id, scoredBy, now });
      setCursor(db, localId, start, now);
      recordAudit(
        { db: rc.ctx.db, actor: systemActor, now: rc.ctx.now },
        {
          action: "remote.link",
          entityType: "experiment",
          entityId: String(localId),
          experimentId: localId,
          after: { remote_experiment_id: e.experiment_id, scored_by: scoredBy },
        },
      );
    }).immediate();
    added++;
  }
  return added;
}
