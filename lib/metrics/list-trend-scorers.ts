import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { versionOut } from "./rollup-math";

export const ListTrendScorersInput = z.object({ experimentId: experimentIdString });
export type ListTrendScorersInput = z.input<typeof ListTrendScorersInput>;

export interface TrendScorer {
  scorer: string;
  versions: { scorer_version: number | null; count: number; first_bucket: number; last_bucket: number }[];
}

/** Which scorers (and versions) have rollups in an experiment: what a trend picker offers. */
export function listTrendScorers({ ctx, input }: VerbArgs<ListTrendScorersInput>): { scorers: TrendScorer[] } {
  const { experimentId } = ListTrendScorersInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  const rows = ctx.db.$client
    .prepare(
      `SELECT scorer_name, scorer_version, sum(count) AS count, min(bucket_start) AS first_bucket, max(bucket_start) AS last_bucket
       FROM metric_rollups WHERE experiment_id = ? GROUP BY scorer_name, scorer_version ORDER BY scorer_name, scorer_version`,
    )
    .all(experimentId) as { scorer_name: string; scorer_version: number; count: number; first_bucket: number; last_bucket: number }[];
  const out: TrendScorer[] = [];
  for (const r of rows) {
    let s = out[out.length - 1];
    if (!s || s.scorer !== r.scorer_name) out.push((s = { scorer: r.scorer_name, versions: [] }));
    s.versions.push({ scorer_version: versionOut(r.scorer_version), count: r.count, first_bucket: r.first_bucket, last_bucket: r.last_bucket });
  }
  return { scorers: out };
}
