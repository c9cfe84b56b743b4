// A remote experiment's traffic, recorded as online scoring reads its traces, so the overview's
// traffic, error and latency charts work in remote mode without asking MLflow to count.
import type Database from "better-sqlite3";
import { latencyBin } from "@/lib/core/latency-histogram";
import { parseRfc3339 } from "@/lib/core/time";
import { parseDuration } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { cachedStatement } from "@/db/cached-statement";

export const TRAFFIC_BUCKET_MS = 5 * 60_000;

/** A remote trace's start in ms: its place in buckets and in the search cursor's order. */
export const traceTimeOf = (info: Pick<TraceInfoV3, "request_time">): number => parseRfc3339(info.request_time) ?? 0;

export interface TrafficDelta {
  bucketMs: number;
  traces: number;
  errors: number;
  latency: Map<number, number>;
  lastTraceAt: number;
}

/** Traces grouped into 5-minute buckets. Pure. */
export function trafficOf(infos: readonly TraceInfoV3[]): TrafficDelta[] {
  const out = new Map<number, TrafficDelta>();
  for (const info of infos) {
    const t = traceTimeOf(info);
    const bucketMs = Math.floor(t / TRAFFIC_BUCKET_MS) * TRAFFIC_BUCKET_MS;
    let d = out.get(bucketMs);
    if (!d) out.set(bucketMs, (d = { bucketMs, traces: 0, errors: 0, latency: new Map(), lastTraceAt: t }));
    d.traces++;
    if (info.state === "ERROR") d.errors++;
    d.lastTraceAt = Math.max(d.lastTraceAt, t);
    const ms = info.execution_duration ? parseDuration(info.execution_duration) : null;
    if (ms !== null && info.state !== "IN_PROGRESS") {
      const bin = latencyBin(ms);
      d.latency.set(bin, (d.latency.get(bin) ?? 0) + 1);
    }
  }
  return [...out.values()];
}

/** Adds the traces to the experiment's buckets; call in the transaction that moves the cursor. */
export function recordTraffic(db: Database.Database, experimentId: number, infos: readonly TraceInfoV3[]): void {
  const get = cachedStatement(db, "SELECT latency FROM traffic WHERE experiment_id = ? AND bucket_ms = ?");
  const upsert = cachedStatement(
    db,
    `INSERT INTO traffic (experiment_id, bucket_ms, traces, errors, latency, last_trace_at) VALUES (@e, @b, @n, @err, @lat, @last)
     ON CONFLICT (experiment_id, bucket_ms) DO UPDATE SET traces = traces + @n, errors = errors + @err, latency = @lat,
       last_trace_at = MAX(last_trace_at, @last)`,
  );
  for (const d of trafficOf(infos)) {
    const row = get.get(experimentId, d.bucketMs) as { latency: string } | undefined;
    const merged = new Map<string, number>(Object.entries(row ? (JSON.parse(row.latency) as Record<string, number>) : {}));
    for (const [bin, n] of d.latency) merged.set(String(bin), (merged.get(String(bin)) ?? 0) + n);
    upsert.run({ e: experimentId, b: d.bucketMs, n: d.traces, err: d.errors, lat: JSON.stringify(Object.fromEntries(merged)), last: d.lastTraceAt });
  }
}
