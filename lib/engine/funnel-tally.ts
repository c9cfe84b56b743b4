// Funnel counters gathered in memory for one batch, then added to engine_funnel in the batch's
// transaction: one upsert per (scorer, hour, stage, reason) instead of one per trace.
import type { funnelStages } from "@/db/schema/engine";
import type { Decision } from "./decide";

export type FunnelStage = (typeof funnelStages)[number];

export const HOUR_MS = 3_600_000;

/** The hour bucket (start, ms) a trace's timestamp falls in. */
export const hourBucket = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface FunnelRow {
  experimentId: number;
  scorerName: string;
  bucketMs: number;
  stage: FunnelStage;
  reason: string;
  count: number;
}

export class FunnelTally {
  private readonly rows = new Map<string, FunnelRow>();

  add(experimentId: number, scorerName: string, traceTimeMs: number, stage: FunnelStage, reason = "", n = 1): void {
    const bucketMs = hourBucket(traceTimeMs);
    const key = `${experimentId}\u0000${scorerName}\u0000${bucketMs}\u0000${stage}\u0000${reason}`;
    const row = this.rows.get(key);
    if (row) row.count += n;
    else this.rows.set(key, { experimentId, scorerName, bucketMs, stage, reason, count: n });
  }

  /**
   * The stages a sampling decision adds: matched and sampled when they happened, skipped with its
   * reason when the scorer will not run. scored/failed are added when the outcome is stored.
   */
  addDecision(experimentId: number, traceTimeMs: number, d: Decision<{ name: string } & Decision["candidate"]>): void {
    const name = d.candidate.name;
    if (d.matched) this.add(experimentId, name, traceTimeMs, "matched");
    if (d.sampled) this.add(experimentId, name, traceTimeMs, "sampled");
    if (d.skip) this.add(experimentId, name, traceTimeMs, "skipped", d.skip);
  }

  entries(): FunnelRow[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }
}
