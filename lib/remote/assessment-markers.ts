// How Vigil recognises its own assessments on MLflow's traces: metadata naming the scorer and
// version that wrote them. This is the lookup that makes a retried write exactly-once.
import type { Assessment, TraceInfoV3 } from "@/lib/mlflow/types";

export const SCORER_ID_KEY = "vigil.scorer_id";
export const SCORER_VERSION_KEY = "vigil.scorer_version";

export function markerOf(a: Pick<Assessment, "metadata" | "valid">): { scorerId: string; version: number } | null {
  const id = a.metadata?.[SCORER_ID_KEY];
  const v = Number(a.metadata?.[SCORER_VERSION_KEY]);
  if (!id || !Number.isInteger(v)) return null;
  return { scorerId: id, version: v };
}

/** Vigil's assessment for (scorer, version) on the trace, if it is there. */
export function findOurs(info: Pick<TraceInfoV3, "assessments">, scorerId: string, version: number): Assessment | undefined {
  return (info.assessments ?? []).find((a) => {
    const m = markerOf(a);
    return m !== null && m.scorerId === scorerId && m.version === version;
  });
}

/** A feedback assessment as the ledger and metric points keep it: value or error, as JSON text. */
export function feedbackColumns(a: Pick<Assessment, "feedback">): { value: string | null; error: string | null } {
  const fb = a.feedback;
  return fb?.error ? { value: null, error: JSON.stringify(fb.error) } : { value: JSON.stringify(fb?.value ?? null), error: null };
}
