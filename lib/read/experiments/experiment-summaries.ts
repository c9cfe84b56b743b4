import { requireRole, type VerbArgs } from "@/lib/core";

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  traceCount: number;
  traces24h: number;
  errors24h: number;
  p95LatencyMs24h: number | null;
  lastTraceAt: number | null;
}

/** One row per active experiment with the traffic figures the home page shows. */
export function getExperimentSummaries({ ctx }: VerbArgs<Record<string, never>>): ExperimentSummary[] {
  requireRole(ctx.actor, "viewer");
  const since = ctx.now() - 24 * 3600_000;
  const rows = ctx.db.$client
    .prepare(
      `SELECT e.experiment_id AS id, e.name AS name,
         (SELECT COUNT(*) FROM traces t WHERE t.experiment_id = e.experiment_id) AS total,
         (SELECT COUNT(*) FROM traces t WHERE t.experiment_id = e.experiment_id AND t.request_time >= @since) AS recent,
         (SELECT COUNT(*) FROM traces t WHERE t.experiment_id = e.experiment_id AND t.request_time >= @since AND t.state = 'ERROR') AS errors,
         (SELECT MAX(request_time) FROM traces t WHERE t.experiment_id = e.experiment_id) AS last
       FROM experiments e WHERE e.lifecycle_stage = 'active' ORDER BY last IS NULL, last DESC, e.experiment_id`,
    )
    .all({ since }) as { id: number; name: string; total: number; recent: number; errors: number; last: number | null }[];
  const p95 = ctx.db.$client.prepare(
    `SELECT execution_duration_ms AS d FROM traces WHERE experiment_id = ? AND request_time >= ? AND execution_duration_ms IS NOT NULL
     ORDER BY execution_duration_ms LIMIT 1 OFFSET ?`,
  );
  return rows.map((r) => {
    const offset = Math.max(0, Math.ceil(r.recent * 0.95) - 1);
    const q = r.recent > 0 ? (p95.get(r.id, since, offset) as { d: number } | undefined) : undefined;
    return {
      experimentId: String(r.id),
      name: r.name,
      traceCount: r.total,
      traces24h: r.recent,
      errors24h: r.errors,
      p95LatencyMs24h: q?.d ?? null,
      lastTraceAt: r.last,
    };
  });
}
