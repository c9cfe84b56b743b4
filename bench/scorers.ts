// The three code scorers the engine benchmarks run (and ingest's "while the worker scores"
// phase), registered straight into the lifecycle's tables with an online sampling rate.
import { onlineConfigs, scorers, scorerVersions } from "@/db/schema/scorers";
import type { Ctx } from "@/lib/core";
import { serializeBuiltin } from "@/scorers";

export const SCORERS = [
  { name: "length", serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 2000 } }) },
  { name: "no_sorry", serialized: serializeBuiltin({ name: "no_sorry", className: "KeywordAbsent", params: { keywords: ["sorry", "cannot"] } }) },
  { name: "pii", serialized: serializeBuiltin({ name: "pii", className: "PIILeak" }) },
];

export function addScorers(ctx: Ctx, experimentId: number, rate: number): void {
  const now = Date.now();
  for (const s of SCORERS) {
    const scorerId = `sc-${experimentId}-${s.name}`;
    ctx.db.insert(scorers).values({ scorerId, experimentId, name: s.name, createdAt: now }).run();
    ctx.db.insert(scorerVersions).values({ scorerId, version: 1, serializedScorer: s.serialized, creationTime: now }).run();
    ctx.db
      .insert(onlineConfigs)
      .values({ onlineScoringConfigId: `cfg-${scorerId}`, scorerId, sampleRate: rate, updatedAt: now })
      .run();
  }
}
