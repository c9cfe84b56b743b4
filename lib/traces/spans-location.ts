// Where a trace's spans live, as MLflow's server records it in two trace tags. Clients read them:
// TRACKING_STORE -> spans from /traces/get or batchGet; otherwise traces.json from the artifact
// proxy at mlflow.artifactLocation (tracing/client.py get_trace, _group_trace_infos_by_location).
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

export const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
export const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
export const TRACKING_STORE = "TRACKING_STORE";
export const TRACE_DATA_FILE = "traces.json";

/** `mlflow-artifacts:/<experiment_id>/traces/<trace_id>/artifacts`, as start_trace sets it. */
export function traceArtifactLocation(experimentId: number | string, traceId: string): string {
  return `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts`;
}

/**
 * Marks traces whose spans arrived through /v1/traces, as MLflow's log_spans does
 * (sqlalchemy_store.log_spans merges the spansLocation tag), so start_trace's answer tells the
 * Python exporter not to upload traces.json as well.
 */
export function markSpansInTrackingStore(db: Db, traceIds: string[]): void {
  for (let i = 0; i < traceIds.length; i += 500) {
    const ids = traceIds.slice(i, i + 500);
    db.run(sql`UPDATE traces SET tags = json_set(tags, ${`$."${SPANS_LOCATION_TAG}"`}, ${TRACKING_STORE})
      WHERE trace_id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
        AND json_extract(tags, ${`$."${SPANS_LOCATION_TAG}"`}) IS NOT ${TRACKING_STORE}`);
  }
}
