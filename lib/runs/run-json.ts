// MLflow's Run message (service.proto: RunInfo, RunData, RunInputs) from a `runs` row, and the
// lookups every run verb shares.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { runs } from "@/db/schema";
import { InvalidParameterError, NotFoundError, requireRole, type Ctx } from "@/lib/core";

export type RunRow = typeof runs.$inferSelect;

export interface MetricJson {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfoJson {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunRow["status"];
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: "active" | "deleted";
}

export interface RunJson {
  info: RunInfoJson;
  data: { metrics: MetricJson[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] };
  inputs: { dataset_inputs: unknown[]; model_inputs: unknown[] };
}

export const RUN_NAME_TAG = "mlflow.runName";

export function jsonMap<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const pairs = (m: Record<string, string>) => Object.entries(m).map(([key, value]) => ({ key, value }));

export function runInfoFromRow(r: RunRow): RunInfoJson {
  const info: RunInfoJson = {
    run_id: r.runId,
    run_uuid: r.runId,
    run_name: r.runName,
    experiment_id: String(r.experimentId),
    user_id: r.userId,
    status: r.status,
    start_time: r.startTime,
    artifact_uri: r.artifactUri,
    lifecycle_stage: r.lifecycleStage,
  };
  if (r.endTime !== null) info.end_time = r.endTime;
  return info;
}

export function runFromRow(r: RunRow): RunJson {
  const metrics = jsonMap<Record<string, Omit<MetricJson, "key">>>(r.metrics, {});
  return {
    info: runInfoFromRow(r),
    data: {
      metrics: Object.entries(metrics).map(([key, m]) => ({ key, ...m })),
      params: pairs(jsonMap(r.params, {})),
      tags: pairs(jsonMap(r.tags, {})),
    },
    inputs: { dataset_inputs: jsonMap(r.datasetInputs, []), model_inputs: [] },
  };
}

/** Python sends run_id and the deprecated run_uuid together; either names the run. */
export const RunIdInput = z.object({ run_id: z.string().optional(), run_uuid: z.string().optional() }).transform((v, c) => {
  const id = (v.run_id || v.run_uuid || "").trim();
  if (!id) {
    c.addIssue({ code: "custom", message: "Missing value for required parameter 'run_id'." });
    return z.NEVER;
  }
  return id;
});

export function requireRunRow(db: Db, runId: string): RunRow {
  const row = db.select().from(runs).where(eq(runs.runId, runId)).get();
  if (!row) throw new NotFoundError(`Run with id=${runId} not found`);
  return row;
}

/** Writes go only to active runs, as in MLflow (_check_run_is_active). */
export function requireActiveRun(db: Db, runId: string): RunRow {
  const row = requireRunRow(db, runId);
  if (row.lifecycleStage !== "active")
    throw new InvalidParameterError(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  return row;
}

/** A write to an active run, in one transaction, by an operator of the run's experiment. */
export function writeActiveRun<T>(ctx: Ctx, runId: string, write: (row: RunRow) => T): T {
  requireRole(ctx.actor, "operator");
  return ctx.db.transaction(() => {
    const row = requireActiveRun(ctx.db, runId);
    requireRole(ctx.actor, "operator", row.experimentId);
    return write(row);
  });
}
