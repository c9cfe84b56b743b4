// Writes hourly metric rollups straight into the table the evaluator reads, for tests and the
// bench: `n` pass/fail assessments, or numeric scores given by their sums.
import type { Db } from "@/db/client";
import { HISTOGRAM_BINS } from "@/lib/metrics/point-sql";

const EMPTY_HIST = JSON.stringify(new Array<number>(HISTOGRAM_BINS).fill(0));

export function putPassRollup(
  db: Db,
  o: { experimentId: number; scorer: string; hour: number; n: number; passes: number; errors?: number; version?: number },
): void {
  db.$client
    .prepare(
      `INSERT INTO metric_rollups (experiment_id, scorer_name, scorer_version, bucket_start, count, errors, num_count, num_sum, num_sum_sq, num_min, num_max, histogram, bool_count, pass_count, updated_at)
       VALUES (@experimentId, @scorer, @version, @hour, @count, @errors, 0, 0, 0, NULL, NULL, @histogram, @n, @passes, 0)
       ON CONFLICT DO UPDATE SET count = excluded.count, errors = excluded.errors, bool_count = excluded.bool_count, pass_count = excluded.pass_count`,
    )
    .run({ ...o, version: o.version ?? 1, count: o.n + (o.errors ?? 0), errors: o.errors ?? 0, histogram: EMPTY_HIST });
}
