import { z } from "zod";
import { PermissionDeniedError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { getExperimentRow } from "@/lib/experiments/experiment-json";
import { experimentIdString } from "@/lib/mlflow/proto-json";

export const GetArchivalStatusInput = z.object({ experimentId: experimentIdString.optional() });
export type GetArchivalStatusInput = z.input<typeof GetArchivalStatusInput>;

export interface ArchivalStatus {
  experiment_id: string;
  enabled: boolean;
  /** Days of raw traces the hot store keeps; null keeps them forever. */
  retention_days: number | null;
  enabled_at: number | null;
  archived_traces: number;
  /** Traces whose archive copy is missing or stale, waiting for the worker. */
  pending_traces: number;
  oldest_pending_at: number | null;
  last_archived_at: number | null;
  history_job: { job_id: string; status: string; total: number; done: number; created_at: number; finished_at: number | null } | null;
  updated_at: number | null;
  updated_by: string | null;
}

interface SettingRow {
  experiment_id: number;
  enabled: number;
  retention_days: number | null;
  enabled_at: number | null;
  history_job_id: string | null;
  updated_at: number;
  updated_by: string | null;
}

export function archivalStatusOf(ctx: Pick<Ctx, "db">, experimentId: number): ArchivalStatus {
  const sqlite = ctx.db.$client;
  const s = sqlite.prepare("SELECT * FROM archive_settings WHERE experiment_id = ?").get(experimentId) as SettingRow | undefined;
  const archive = sqlite.prepare("SELECT count(*) AS n, max(archived_at) AS last FROM archived_traces WHERE experiment_id = ?").get(experimentId) as {
    n: number;
    last: number | null;
  };
  const queue = sqlite.prepare("SELECT count(*) AS n, min(enqueued_at) AS oldest FROM archive_queue WHERE experiment_id = ?").get(experimentId) as {
    n: number;
    oldest: number | null;
  };
  const job = s?.history_job_id
    ? (sqlite.prepare("SELECT job_id, status, total, done, created_at, finished_at FROM jobs WHERE job_id = ?").get(s.history_job_id) as
        ArchivalStatus["history_job"] | undefined)
    : undefined;
  return {
    experiment_id: String(experimentId),
    enabled: s?.enabled === 1,
    retention_days: s?.retention_days ?? null,
    enabled_at: s?.enabled_at ?? null,
    archived_traces: archive.n,
    pending_traces: queue.n,
    oldest_pending_at: queue.oldest,
    last_archived_at: archive.last,
    history_job: job ?? null,
    updated_at: s?.updated_at ?? null,
    updated_by: s?.updated_by ?? null,
  };
}

/**
 * Archival and retention of one experiment, or of every experiment that has them configured.
 * A token limited to one experiment sees only that one.
 */
export function getArchivalStatus({ ctx, input }: VerbArgs<GetArchivalStatusInput>): { archival: ArchivalStatus[] } {
  const { experimentId } = GetArchivalStatusInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  if (experimentId !== undefined) {
    getExperimentRow(ctx.db, experimentId);
    return { archival: [archivalStatusOf(ctx, experimentId)] };
  }
  if (ctx.actor.experimentId != null) throw new PermissionDeniedError(`Your token is limited to experiment ${ctx.actor.experimentId}; pass experiment_id.`);
  const ids = ctx.db.$client.prepare("SELECT experiment_id FROM archive_settings ORDER BY experiment_id").pluck().all() as number[];
  return { archival: ids.map((id) => archivalStatusOf(ctx, id)) };
}
