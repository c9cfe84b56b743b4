// One pass of the remote engine, in priority order: link experiments and sync scorers (now and
// then), read new traces into the queue, score and write queued pairs, then job pages only when
// online work has no backlog. MLflow being down fails the pass; the worker tries again later,
// and nothing has moved past what MLflow confirmed.
import type { RemoteCtx } from "./context";
import { links } from "./context";
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

export async function remotePass(rc: RemoteCtx, state: RemoteLoopState, budgetMs = 1000): Promise<RemotePassResult> {
  const r: RemotePassResult = { linked: 0, synced: 0, scanned: 0, pairs: 0, job: false };
  const now = rc.e.ctx.now();
  const pull = now - state.lastSyncAt >= SYNC_EVERY_MS;
  if (pull) r.linked = await syncRemoteExperiments(rc);
  for (const link of links(rc)) r.synced += await syncScorers(rc, link, pull);
  if (pull) state.lastSyncAt = now;
  for (const link of links(rc)) r.scanned += await scanOnline(rc, link, budgetMs);
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
