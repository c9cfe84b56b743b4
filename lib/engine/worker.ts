import { setTimeout as sleep } from "node:timers/promises";
import type { Ctx } from "@/lib/core";
import { completeQuietTraces } from "./complete-quiet-traces";

export interface WorkerOptions {
  ctx: Ctx;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** One pass of the engine's periodic duties; returns how much work it found. */
export function tick(ctx: Ctx): { completed: number } {
  const completed = completeQuietTraces({ ctx, input: { quietMs: ctx.config.VIGIL_TRACE_QUIET_MS } });
  return { completed };
}

/** The worker loop: runs until the signal aborts, and never dies on one failed pass. */
export async function runWorker({ ctx, signal, log }: WorkerOptions): Promise<void> {
  log("worker started");
  while (!signal.aborted) {
    let busy = false;
    try {
      const r = tick(ctx);
      busy = r.completed > 0;
    } catch (e) {
      log(`worker pass failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!busy) await sleep(ctx.config.VIGIL_WORKER_POLL_MS, undefined, { signal }).catch(() => {});
  }
  log("worker stopped");
}
