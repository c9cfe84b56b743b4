// The MLflow-REST store's own work each pass, before the engine's: link experiments and pull
// scorers now and then, push local scorer changes every pass. One worker at a time holds the
// sync lease (two registering the same new version at once would register it twice on MLflow).
import { isVigilError, UpstreamUnavailableError } from "@/lib/core";
import { cachedStatement } from "@/db/cached-statement";
import { takeLease } from "./lease";
import { syncRemoteExperiments } from "./link-experiments";
import { listLinks, type ExperimentLink } from "./links";
import type { RemoteCtx } from "./remote-ctx";
import { syncScorers } from "./sync-scorers";
import { recordServerVersion, storedCapabilities } from "./server-version";

export const SYNC_EVERY_MS = 10_000;

/**
 * Each experiment keeps the refusal this sync met, or none once a full sync goes through. Only a
 * sync that pulled (linked, imported, pushed) may clear: others did not try what may have failed.
 */
function recordErrors(rc: RemoteCtx, all: readonly ExperimentLink[], errors: Map<number, string>, mayClear: boolean): void {
  const set = cachedStatement(
    rc.ctx.db.$client,
    "UPDATE remote_experiments SET last_error = ?, last_error_at = ? WHERE experiment_id = ? AND last_error IS NOT ?",
  );
  for (const l of all) {
    const err = errors.get(l.experiment_id) ?? null;
    if (err === null && !mayClear) continue;
    set.run(err, err === null ? null : rc.ctx.now(), l.experiment_id, err);
  }
}

/** Returns how many changes went either way. MLflow being unreachable fails it; a refusal is noted per experiment. */
export async function syncWithMlflow(rc: RemoteCtx): Promise<number> {
  const now = rc.ctx.now();
  if (!takeLease(rc.ctx.db.$client, "sync", rc.workerId, now, rc.leaseMs)) return 0;
  const pull = now - rc.lastSyncAt >= SYNC_EVERY_MS;
  // The server's version decides what Vigil may ask of it, so it is known before anything is linked.
  const caps = pull ? recordServerVersion(rc.ctx.db.$client, await rc.backend.serverVersion(), now) : storedCapabilities(rc.ctx.db.$client);
  let n = pull ? await syncRemoteExperiments(rc, caps?.onlineScoring ?? false) : 0;
  const all = listLinks(rc.ctx.db.$client);
  const errors = new Map<number, string>();
  for (const link of all) {
    try {
      n += await syncScorers(rc, link, pull, caps?.onlineScoring ?? false);
    } catch (e) {
      if (!isVigilError(e) || e instanceof UpstreamUnavailableError) throw e;
      errors.set(link.experiment_id, e.message);
      rc.log(`remote experiment ${link.remote_experiment_id}: ${e.message}`);
    }
  }
  if (pull) rc.lastSyncAt = now;
  recordErrors(rc, all, errors, pull);
  return n;
}
