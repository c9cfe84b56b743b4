// One pass of the remote engine, in priority order: link experiments and sync scorers (now and
// then), read new traces into the queue, score and write queued pairs, then job pages only when
// online work has no backlog. MLflow being down fails the pass; the worker tries again later,
// and nothing has moved past what MLflow confirmed.
import { isVigilError, UpstreamUnavailableError } from "@/lib/core";
import type { LinkRow, RemoteCtx } from "./context";
import { links } from "./context";
import { takeLease } from "./lease";
import { stmt } from "./stmt";
import { syncRemoteExperiments } from "./link-experiments";
import { pairStep } from "./pair-step";
import { remoteJobStep } from "./job-step";
import { scanOnline } from "./scan-online";
import { syncScorers } from "./sync-scorers";

export interface RemotePassResult {
  linked: number;
  synced: number;
  scanned: number;
  pairs: number;
  job: boolean;
}

export interface RemoteLoopState {
  /** When experiments and scorers were last synced (ms). */
  lastSyncAt: number;
}

export const SYNC_EVERY_MS = 10_000;

/**
 * Runs one experiment's part of the pass. A definitive refusal from MLflow (a 4xx: a scorer it
 * will not register, a filter it rejects) is noted for that experiment and the pass goes on with
 * the others; MLflow being unreachable fails the whole pass, as everything needs it.
 */
async function perExperiment<T>(rc: RemoteCtx, link: LinkRow, errors: Map<number, string>, step: () => Promise<T>, none: T): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (!isVigilError(e) || e instanceof UpstreamUnavailableError) throw e;
    errors.set(link.experiment_id, e.message);
    rc.e.log(`remote experiment ${link.remote_experiment_id}: ${e.message}`);
    return none;
  }
}

/**
 * Each experiment keeps the refusal this pass met, or none once a full pass goes through. Only a
 * pass that pulled (linked, imported, pushed) may clear: others did not try what may have failed.
 */
function recordErrors(rc: RemoteCtx, all: readonly LinkRow[], errors: Map<number, string>, mayClear: boolean): void {
  const db = rc.e.ctx.db.$client;
  const set = stmt(db, "UPDATE remote_experiments SET last_error = ?, last_error_at = ? WHERE experiment_id = ? AND last_error IS NOT ?");
  for (const l of all) {
    const err = errors.get(l.experiment_id) ?? null;
    if (err === null && !mayClear) continue;
    set.run(err, err === null ? null : rc.e.ctx.now(), l.experiment_id, err);
  }
}

export async function remotePass(rc: RemoteCtx, state: RemoteLoopState, budgetMs = 1000): Promise<RemotePassResult> {
  const r: RemotePassResult = { linked: 0, synced: 0, scanned: 0, pairs: 0, job: false };
  const now = rc.e.ctx.now();
  // One worker at a time links experiments and syncs scorers; every worker scans and scores.
  const syncer = takeLease(rc.e.ctx.db.$client, "sync", rc.e.workerId, now, rc.e.leaseMs);
  const pull = syncer && now - state.lastSyncAt >= SYNC_EVERY_MS;
  if (pull) r.linked = await syncRemoteExperiments(rc);
  const all = links(rc);
  const errors = new Map<number, string>();
  if (syncer) for (const link of all) r.synced += await perExperiment(rc, link, errors, () => syncScorers(rc, link, pull), 0);
  if (pull) state.lastSyncAt = now;
  for (const link of all) r.scanned += await perExperiment(rc, link, errors, () => scanOnline(rc, link, budgetMs), 0);
  // Clearing waits for a full sync: a pass that did not pull did not retry what a pull refused.
  recordErrors(rc, all, errors, pull);
  const t0 = performance.now();
  let n: number;
  do {
    n = await pairStep(rc);
    r.pairs += n;
  } while (n > 0 && performance.now() - t0 < budgetMs);
  if (n === 0) r.job = await remoteJobStep(rc);
  return r;
}

export const remoteBusy = (r: RemotePassResult) => r.linked > 0 || r.synced > 0 || r.scanned > 0 || r.pairs > 0 || r.job;
