// Keeps the demo agent talking while `npm start` runs: a new support conversation every few
// seconds (seeded, so every machine sees the same stream), stored the way OTLP ingestion stores it.
import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import type { Ctx } from "@/lib/core";
import { storeSpans } from "@/lib/ingest";
import { generateTrace } from "./generate";
import { DEMO_EXPERIMENT } from "./load-demo";
import { seededRandom } from "./random";

export interface LiveTraffic {
  stop(): void;
}

/**
 * Sends one trace about every `everyMs` (jittered ±50%) into the demo experiment; null when the
 * demo experiment is not there (a database that never had the demo).
 */
export function startDemoTraffic(ctx: Ctx, opts: { everyMs: number; seed?: number; onTrace?: (traceId: string) => void }): LiveTraffic | null {
  const exp = ctx.db.select().from(experiments).where(eq(experiments.name, DEMO_EXPERIMENT)).get();
  if (!exp || exp.lifecycleStage !== "active") return null;
  const rng = seededRandom(opts.seed ?? 2026);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    // A conversation that has just ended: its spans lie in the last half minute.
    const spans = generateTrace(rng, ctx.now() - 30_000, { degraded: rng.chance(0.3) });
    storeSpans({ ctx, input: { experimentId: exp.experimentId, spans } });
    opts.onTrace?.(spans[0]!.traceIdHex);
    timer = setTimeout(tick, Math.round(opts.everyMs * (0.5 + rng.next())));
    timer.unref();
  };
  timer = setTimeout(tick, Math.round(opts.everyMs * (0.5 + rng.next())));
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
