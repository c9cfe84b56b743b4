// The incremental path: re-derive the points of changed traces from the hot store, then recompute
// exactly the rollup buckets those points left or entered. Callers run this inside a transaction.
import type Database from "better-sqlite3";
import { INSERT_TRACE_POINTS_SQL, insertRollupsSql } from "./point-sql";

export interface RollupKey {
  experimentId: number;
  scorerName: string;
  scorerVersion: number;
  bucketStart: number;
}

const keyId = (k: RollupKey) => JSON.stringify([k.experimentId, k.scorerName, k.scorerVersion, k.bucketStart]);

interface KeyRow {
  experiment_id: number;
  scorer_name: string;
  scorer_version: number;
  bucket_start: number;
}
const toKey = (r: KeyRow): RollupKey => ({
  experimentId: r.experiment_id,
  scorerName: r.scorer_name,
  scorerVersion: r.scorer_version,
  bucketStart: r.bucket_start,
});

const KEYS_OF_TRACE = "SELECT DISTINCT experiment_id, scorer_name, scorer_version, bucket_start FROM metric_points WHERE trace_id = ?";

/**
 * Replaces the points of each trace still in the hot store with its current valid feedback.
 * A trace gone from the hot store keeps its points: retention must not erase history, and the
 * archive holds the same scores. Returns the rollup keys whose bucket may have changed.
 */
export function refreshTracePoints(sqlite: Database.Database, traceIds: Iterable<string>): Map<string, RollupKey> {
  const exists = sqlite.prepare("SELECT 1 FROM traces WHERE trace_id = ?").pluck();
  const keysOf = sqlite.prepare(KEYS_OF_TRACE);
  const del = sqlite.prepare("DELETE FROM metric_points WHERE trace_id = ?");
  const ins = sqlite.prepare(INSERT_TRACE_POINTS_SQL);
  const dirty = new Map<string, RollupKey>();
  const mark = (rows: unknown[]) => {
    for (const r of rows as KeyRow[]) {
      const k = toKey(r);
      dirty.set(keyId(k), k);
    }
  };
  for (const traceId of traceIds) {
    if (!exists.get(traceId)) continue;
    mark(keysOf.all(traceId));
    del.run(traceId);
    ins.run(traceId);
    mark(keysOf.all(traceId));
  }
  return dirty;
}

/** Recomputes the given rollup buckets from their points; a bucket left without points goes. */
export function recomputeRollups(sqlite: Database.Database, keys: Iterable<RollupKey>, now: number): number {
  const keyWhere = "experiment_id = @e AND scorer_name = @n AND scorer_version = @v AND bucket_start = @b";
  const del = sqlite.prepare(`DELETE FROM metric_rollups WHERE ${keyWhere}`);
  const ins = sqlite.prepare(insertRollupsSql(keyWhere));
  let n = 0;
  for (const k of keys) {
    const p = { e: k.experimentId, n: k.scorerName, v: k.scorerVersion, b: k.bucketStart };
    del.run(p);
    ins.run({ ...p, now });
    n++;
  }
  return n;
}
