import type { Db } from "@/db/client";
import { NotFoundError } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { scorersByName, type EngineScorer } from "../scorer-set";

/** The registered scorer (latest version) or 404. */
export function requireEngineScorer(db: Db, experimentId: number, name: string): EngineScorer {
  requireActiveExperiment(db, experimentId);
  const s = scorersByName(db, experimentId, [name]).get(name);
  if (!s) throw new NotFoundError(`Scorer with name '${name}' not found for experiment ${experimentId}.`);
  return s;
}

/** Creates the scorer's runtime row if missing (the engine writes it lazily). */
export function ensureRuntimeRow(db: Db, s: EngineScorer, now: number): void {
  db.$client
    .prepare(
      `INSERT INTO engine_scorer_runtime (scorer_id, experiment_id, scorer_name, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scorer_id) DO NOTHING`,
    )
    .run(s.scorerId, s.experimentId, s.name, now);
}
