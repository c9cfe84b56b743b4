// What a job stores about itself (jobs.params): the pinned scorer versions, the selection, and
// for backfills the sampling set, so a resumed job decides exactly as it would have.
import { z } from "zod";
import type { Db } from "@/db/client";
import { jobs } from "@/db/schema";
import { InvalidParameterError, NotFoundError } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { int64 } from "@/lib/mlflow/proto-json";
import { scorersByName, type EngineScorer } from "../scorer-set";

export interface JobScorer {
  scorerId: string;
  name: string;
  version: number;
  /** A session scorer: scores the sessions whose first turn the selection holds. */
  session?: boolean;
}

export interface SamplingEntry {
  name: string;
  sampleRate: number;
  filterString: string | null;
  /** A session scorer: sampled with the session id, apart from the trace scorers (lib/engine/sessions). */
  session?: boolean;
}

export interface JobParams {
  scorers: JobScorer[];
  /** Backfill: every scorer that samples, with the rates in force (job overrides applied). */
  sampling?: SamplingEntry[];
  traceIds?: string[];
  filterString?: string | null;
  /** Score again: pairs already scored by the same version are scored anew, the older assessment kept as invalid. */
  rescore?: boolean;
  /** Inclusive start, exclusive end, on the trace timestamp (request time). */
  startMs: number | null;
  endMs: number | null;
}

export type JobRow = typeof jobs.$inferSelect;

export const MAX_TRACE_IDS = 10_000;

/** Milliseconds since the epoch: the one time parser (lib/core/time.ts). */
export { timeMs } from "@/lib/core/time";

export function parseParams(row: Pick<JobRow, "params">): JobParams {
  return JSON.parse(row.params) as JobParams;
}

/** Registered, runnable scorers by name (latest versions); 404 for a name not registered. */
export function requireRunnableScorers(db: Db, experimentId: number, names: readonly string[]): EngineScorer[] {
  requireActiveExperiment(db, experimentId);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InvalidParameterError(`Scorer '${dup}' is listed twice.`);
  const found = scorersByName(db, experimentId, names);
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) {
    throw new NotFoundError(`Scorer${missing.length > 1 ? "s" : ""} ${missing.map((n) => `'${n}'`).join(", ")} not registered in experiment ${experimentId}.`);
  }
  return names.map((n) => {
    const s = found.get(n)!;
    if (!s.resolved.runnable) throw new InvalidParameterError(`Scorer '${n}' cannot run in Vigil: ${s.resolved.reason}`);
    return s;
  });
}

export function checkWindow(startMs: number | null, endMs: number | null): void {
  if (startMs !== null && endMs !== null && startMs >= endMs) {
    throw new InvalidParameterError(`start_time_ms (${startMs}) must be before end_time_ms (${endMs}).`);
  }
}

export const jobScorer = (s: EngineScorer): JobScorer => ({
  scorerId: s.scorerId,
  name: s.name,
  version: s.version,
  ...(s.sessionLevel ? { session: true } : {}),
});
