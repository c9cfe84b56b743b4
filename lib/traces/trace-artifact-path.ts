// Paths of MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/<path>) that Vigil holds:
// a trace's data file, `<experiment_id>/traces/<trace_id>/artifacts/traces.json`, the file under
// the trace's mlflow.artifactLocation tag (see spans-location.ts).
import { InvalidParameterError } from "@/lib/core";
import { TRACE_DATA_FILE } from "./spans-location";

export interface TraceArtifactPath {
  experimentId: number;
  traceId: string;
}

const EXPLAIN = `Vigil's artifact store holds trace data only: <experiment_id>/traces/<trace_id>/artifacts/${TRACE_DATA_FILE}`;

/** The trace a path names, or INVALID_PARAMETER_VALUE saying which paths exist. Pure. */
export function parseTraceArtifactPath(segments: string[]): TraceArtifactPath {
  // Traversal and smuggled separators are refused before anything else (MLflow: validate_path_is_safe).
  if (segments.some((s) => s === "" || s === "." || s === ".." || /[\\/\u0000]/.test(s))) {
    throw new InvalidParameterError(`Invalid artifact path '${segments.join("/").slice(0, 200)}': it must be a relative path without '.' or '..' parts.`);
  }
  const [exp, traces, traceId, artifacts, ...rest] = segments;
  if (traces !== "traces" || artifacts !== "artifacts" || !exp || !/^\d{1,15}$/.test(exp) || !traceId) {
    throw new InvalidParameterError(`Artifact path '${segments.join("/").slice(0, 200)}' is outside a trace's artifacts. ${EXPLAIN}.`);
  }
  if (rest.length !== 1 || rest[0] !== TRACE_DATA_FILE) {
    throw new InvalidParameterError(`Artifact '${rest.join("/").slice(0, 200)}' of trace '${traceId}' is not kept. ${EXPLAIN}.`);
  }
  return { experimentId: Number(exp), traceId };
}
