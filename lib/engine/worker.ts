import { setTimeout as sleep } from "node:timers/promises";
import { causeChain, type Ctx } from "@/lib/core";
import { maintenanceBusy, maintenanceTick } from "@/lib/archive";
import { alertsBusy, alertsTick } from "@/lib/alerts/alerts-tick";
import { makeEngineCtx, type EngineCtx, type StoreFactory } from "./engine-context";
import { ThreadCodeScorer } from "./thread-scorer";
import { jobStep } from "./jobs/job-step";
import { onlineStep } from "./online-step";
import type { RunLimits } from "./score-batch";
import { codeTaskStep, JudgePool } from "./task-step";
import { waitForCommit } from "@/db/commit-signal";
import { sessionStep } from "./sessions";

export interface WorkerOptions {
  ctx: Ctx;
  signal: AbortSignal;
  /** Lines about the worker's lifecycle; "debug" ones (a failed pass's stack) only matter when debugging. */
  log: (line: string, level?: "debug") => void;
  /** The store the engine works against (lib/runtime/engine-store.ts picks it from the config). */
  storeFor: StoreFactory;
  /** Tests and benchmarks may replace engine settings (batch size, clock-driven policies...). */
  engine?: Partial<EngineCtx>;
}

export interface PassResult {
  /** The store's own upkeep (quiet traces marked complete, MLflow synced). */
  completed: number;
  /** Completed traces taken by online scoring. */
  online: number;
  /** Code tasks retried. */
  retried: number;
  /** Judge calls started. */
  judges: number;
  /** Sessions sampled and session tasks run (lib/engine/sessions). */
  sessions: number;
  /** A job batch ran. */
  job: boolean;
  /** Archival, retention and rollups found work. */
  maintenance: boolean;
}

/** Each pass works online scoring, then a job, for at most this long (several batches each). */
export const PASS_LIMITS: RunLimits = { maxBatches: 100, budgetMs: 1000 };

/**
 * While traces stream in, the worker runs archival and rollups at most this often (ms): a tick
 * recomputes whole rollup buckets (tens of ms), which would otherwise delay the intake of every
 * completion that commits meanwhile. Without traffic, every pass runs them.
 */
export const MAINTENANCE_EVERY_MS = 1000;

/**
 * One pass of the engine, in priority order: complete quiet traces, online scoring, due code
 * retries, judge calls (started, not awaited), then job batches, but only when online scoring
 * has no backlog left, so jobs never delay live traffic by more than one pass.
 */
export async function pass(e: EngineCtx, judges: JudgePool, o: { maintenance: boolean } = { maintenance: true }): Promise<PassResult> {
  const completed = await e.store.upkeep();
  const intake = await onlineStep(e);
  const online = intake.traces;
  const retried = await codeTaskStep(e);
  const started = judges.pump();
  const sessions = await sessionStep(e);
  const job = !intake.backlog ? await jobStep(e) : false;
  // After scoring, so new assessments reach the rollups and the archive in the same pass.
  const maintenance = o.maintenance && maintenanceBusy(maintenanceTick(e.ctx));
  // Alert rules once a minute on the fresh rollups, then due notifications (lib/alerts).
  const alerts = alertsBusy(await alertsTick(e.ctx));
  return { completed, online, retried, judges: started, sessions, job, maintenance: maintenance || alerts };
}

export const isBusy = (r: PassResult) => r.completed > 0 || r.online > 0 || r.retried > 0 || r.judges > 0 || r.sessions > 0 || r.job || r.maintenance;

/**
 * Moves code scoring onto a scoring thread (the worker process does this unless
 * VIGIL_ENGINE_SCORING_THREAD=0). An in-memory database cannot be shared with a thread.
 */
export function withScoringThread(e: EngineCtx): EngineCtx {
  const c = e.ctx.config;
  if (!c.VIGIL_ENGINE_SCORING_THREAD || c.databasePath === ":memory:") return e;
  e.codeScorer = new ThreadCodeScorer(
    { databasePath: c.databasePath, policy: e.policy, prices: e.prices, timeoutMs: e.code.timeoutMs, testDelayMs: e.code.testDelayMs ?? 0 },
    { policy: e.policy, prices: e.prices, code: e.code, random: e.random, newAssessmentId: e.newAssessmentId, now: e.ctx.now },
    e.log,
  );
  return e;
}

/** The worker loop: runs until the signal aborts, and never dies on one failed pass. */
export async function runWorker({ ctx, signal, log, storeFor, engine }: WorkerOptions): Promise<void> {
  const e = withScoringThread(makeEngineCtx(ctx, storeFor, log, engine));
  const judges = new JudgePool(e);
  let lastError: string | null = null;
  let lastMaintenance = -Infinity;
  let lastTraffic = -Infinity;
  log(`worker ${e.workerId} started (${e.store.kind} store)`);
  while (!signal.aborted) {
    let busy = false;
    const t = performance.now();
    const maintenance = t - lastTraffic >= MAINTENANCE_EVERY_MS || t - lastMaintenance >= MAINTENANCE_EVERY_MS;
    if (maintenance) lastMaintenance = t;
    try {
      const r = await pass(e, judges, { maintenance });
      if (r.online > 0) lastTraffic = performance.now();
      busy = isBusy(r);
      if (lastError !== null) log("worker pass recovered");
      lastError = null;
    } catch (err) {
      if (signal.aborted) break; // stopping: a pass cut short is not a failure
      const msg = err instanceof Error ? err.message : String(err);
      // Once per kind of failure: a store that is down must not flood the log every poll. One
      // structured line says why (the cause chain); the stack is for LOG_LEVEL=debug.
      if (msg !== lastError) {
        const [reason = msg, ...causes] = causeChain(err);
        e.event({ name: "worker.pass_failed", fields: { reason, causes } });
        if (err instanceof Error && err.stack) log(`worker pass failed: ${err.stack}`, "debug");
      }
      lastError = msg;
    }
    if (busy) {
      // Let timers and judge responses in between passes.
      await new Promise<void>((resolve) => setImmediate(resolve));
      continue;
    }
    // Idle: wake when traces commit (this process's signal, or another's commit seen in
    // data_version), when a judge call frees a slot, when held-back maintenance is due, or at
    // the next poll at the latest.
    const due = maintenance ? Infinity : lastMaintenance + MAINTENANCE_EVERY_MS - performance.now();
    const ms = Math.max(0, Math.min(ctx.config.VIGIL_WORKER_POLL_MS, due));
    const judge = judges.running > 0 ? judges.next() : undefined;
    if (ctx.config.VIGIL_WORKER_WAKE) await waitForCommit(ctx.db.$client, ms, signal, judge);
    else await Promise.race([sleep(ms, undefined, { signal }).catch(() => {}), ...(judge ? [judge] : [])]);
  }
  await judges.drain();
  await e.codeScorer.close();
  log("worker stopped");
}
