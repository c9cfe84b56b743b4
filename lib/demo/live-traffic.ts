// Keeps the demo agent talking while `npm start` runs: a new support conversation every few
// seconds (seeded, so every machine sees the same stream), stored the way OTLP ingestion stores it.
import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import type { Ctx } from "@/lib/core";
import { storeSpans } from "@/lib/ingest";
import type { IncomingSpan } from "@/lib/ingest/types";
import { generateConversation, generateTrace } from "./generate";
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
  // Later turns of live multi-turn conversations, sent once their time has come.
  let upcoming: { at: number; spans: IncomingSpan[] }[] = [];
  const send = async (spans: IncomingSpan[]) => {
    await storeSpans({ ctx, input: { experimentId: exp.experimentId, spans } });
    opts.onTrace?.(spans[0]!.traceIdHex);
  };
  // A failed store rejects out of the timer, as a throw did when storing was synchronous.
  const schedule = () => {
    timer = setTimeout(() => void tick(), Math.round(opts.everyMs * (0.5 + rng.next())));
    timer.unref();
  };
  const tick = async () => {
    if (stopped) return;
    const now = ctx.now();
    // A conversation turn that has just ended: its spans lie in the last half minute.
    await send(generateTrace(rng, now - 30_000, { degraded: rng.chance(0.3) }));
    // Now and then a multi-turn conversation starts; its turns follow a minute or two apart.
    if (rng.chance(0.15)) {
      const turns = generateConversation(rng, now - 30_000, { degraded: rng.chance(0.3) });
      for (const t of turns) upcoming.push({ at: Number(BigInt(t[0]!.startTimeNs) / 1_000_000n) + 30_000, spans: t });
    }
    const due = upcoming.filter((x) => x.at <= now);
    upcoming = upcoming.filter((x) => x.at > now);
    for (const u of due) await send(u.spans);
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
