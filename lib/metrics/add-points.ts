// Trends in remote mode come from Vigil's own rollups: each assessment Vigil writes to MLflow
// also becomes a metric point here, classified by the same SQL as the embedded store's points.
import { cachedStatement } from "@/db/cached-statement";
import type Database from "better-sqlite3";
import { HOUR_MS, binSql, pointColumnsSql, shadowScoreSql } from "@/lib/metrics/point-sql";
import { recomputeRollups, type RollupKey } from "@/lib/metrics/refresh-points";

const cols = pointColumnsSql("(CASE WHEN json_valid(v) THEN json_type(v) END)", "(CASE WHEN json_valid(v) THEN json_extract(v, '$') END)", "e IS NOT NULL");

const INSERT = `INSERT INTO metric_points (assessment_id, trace_id, experiment_id, scorer_name, scorer_version, bucket_start, is_error, num, pass, bin)
  SELECT @id, @trace, @exp, @name, @ver, @bucket, is_error, num, pass, ${binSql("num")}
  FROM (SELECT ${cols.isError} AS is_error, ${cols.num} AS num, ${cols.pass} AS pass FROM (SELECT @value AS v, @error AS e))
  WHERE NOT ${shadowScoreSql("@sid", "@ver", "@now")} ON CONFLICT (assessment_id) DO NOTHING`;

export interface PointInput {
  assessmentId: string;
  traceId: string;
  experimentId: number;
  scorerName: string;
  /** With the version: a shadow version's scores get no point (they stay out of trends). */
  scorerId: string;
  scorerVersion: number;
  traceTimeMs: number;
  /** JSON text of the value, or null. */
  value: string | null;
  /** JSON text of the error, or null. */
  error: string | null;
}

/** Adds the points and recomputes their buckets. Call inside the transaction that records the writes. */
export function addPoints(db: Database.Database, points: readonly PointInput[], now: number): void {
  if (points.length === 0) return;
  const ins = cachedStatement(db, INSERT);
  const keys = new Map<string, RollupKey>();
  for (const p of points) {
    const bucket = Math.floor(p.traceTimeMs / HOUR_MS) * HOUR_MS;
    const r = ins.run({
      sid: p.scorerId,
      now,
      id: p.assessmentId,
      trace: p.traceId,
      exp: p.experimentId,
      name: p.scorerName,
      ver: p.scorerVersion,
      bucket,
      value: p.value,
      error: p.error,
    });
    if (r.changes === 0) continue;
    keys.set(`${p.experimentId}\u0000${p.scorerName}\u0000${p.scorerVersion}\u0000${bucket}`, {
      experimentId: p.experimentId,
      scorerName: p.scorerName,
      scorerVersion: p.scorerVersion,
      bucketStart: bucket,
    });
  }
  recomputeRollups(db, keys.values(), now);
}
