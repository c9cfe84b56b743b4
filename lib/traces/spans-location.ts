// Where a trace's spans live, as MLflow's server records it in two trace tags. Clients read them:
// TRACKING_STORE -> spans from /traces/get or batchGet; otherwise traces.json from the artifact
// proxy at mlflow.artifactLocation (tracing/client.py get_trace, _group_trace_infos_by_location).

export const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
export const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
export const TRACKING_STORE = "TRACKING_STORE";
export const TRACE_DATA_FILE = "traces.json";

/** `mlflow-artifacts:/<experiment_id>/traces/<trace_id>/artifacts`, as start_trace sets it. */
export function traceArtifactLocation(experimentId: number | string, traceId: string): string {
  return `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts`;
}
