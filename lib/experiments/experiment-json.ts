// Experiments as MLflow's `Experiment` message, and the lookups every experiment verb shares.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { experiments } from "@/db/schema";
import { NotFoundError, PermissionDeniedError, requireRole, type Actor } from "@/lib/core";

export type ExperimentRow = typeof experiments.$inferSelect;

export interface ExperimentJson {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: "active" | "deleted";
  /** int64 milliseconds: MLflow's server prints int64 fields as JSON numbers. */
  last_update_time: number;
  creation_time: number;
  tags: { key: string; value: string }[];
}

export function experimentFromRow(row: ExperimentRow): ExperimentJson {
  let tags: Record<string, unknown> = {};
  try {
    tags = JSON.parse(row.tags) as Record<string, unknown>;
  } catch {
    tags = {};
  }
  return {
    experiment_id: String(row.experimentId),
    name: row.name,
    artifact_location: experimentArtifactRoot(row),
    lifecycle_stage: row.lifecycleStage,
    last_update_time: row.lastUpdateTime,
    creation_time: row.creationTime,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value: typeof value === "string" ? value : JSON.stringify(value) })),
  };
}

/**
 * Where the experiment's artifacts live. MLflow's server with its artifact proxy (the default)
 * gives each experiment `mlflow-artifacts:/<id>`; Vigil serves that proxy for trace data.
 */
export function experimentArtifactRoot(row: Pick<ExperimentRow, "experimentId" | "artifactLocation">): string {
  return row.artifactLocation || `mlflow-artifacts:/${row.experimentId}`;
}

export function findExperiment(db: Db, experimentId: number): ExperimentRow | undefined {
  return db.select().from(experiments).where(eq(experiments.experimentId, experimentId)).get();
}

/** The experiment, deleted or not (MLflow's GetExperiment also answers deleted ones). */
export function getExperimentRow(db: Db, experimentId: number): ExperimentRow {
  const row = findExperiment(db, experimentId);
  if (!row) throw new NotFoundError(`No Experiment with id=${experimentId} exists`);
  return row;
}

/** Traces and assessments may only be written into, and searched in, active experiments. */
export function requireActiveExperiment(db: Db, experimentId: number): ExperimentRow {
  const row = findExperiment(db, experimentId);
  if (!row || row.lifecycleStage !== "active") throw new NotFoundError(`No active Experiment with id=${experimentId} exists`);
  return row;
}

/**
 * Reading experiment metadata. Ingest tokens may do it too: MLflow SDKs resolve the experiment
 * (get-by-name / get) before they log traces, so refusing it would break tracing clients.
 */
export function requireExperimentReader(actor: Actor, experimentId?: number): void {
  if (actor.role !== "ingest") return requireRole(actor, "viewer", experimentId);
  if (experimentId !== undefined && actor.experimentId != null && actor.experimentId !== experimentId) {
    throw new PermissionDeniedError(`Your token is limited to experiment ${actor.experimentId}.`);
  }
}
