import type { TraceState } from "@/lib/mlflow/types";

const TONE: Record<TraceState, string> = { OK: "ok", ERROR: "bad", IN_PROGRESS: "info", STATE_UNSPECIFIED: "" };
const LABEL: Record<TraceState, string> = { OK: "OK", ERROR: "Error", IN_PROGRESS: "In progress", STATE_UNSPECIFIED: "Unknown" };

export function StateChip({ state }: { state: TraceState }) {
  return (
    <span className={`chip ${TONE[state]}`}>
      <span className="dot" aria-hidden />
      {LABEL[state]}
    </span>
  );
}
