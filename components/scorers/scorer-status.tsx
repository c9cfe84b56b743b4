import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import { displayStatus } from "./scorer-state";

/** Started / stopped / paused (with reason) / not runnable, as one chip a glance can read. */
export function ScorerStatusChip({ scorer, runtime }: { scorer: Scorer; runtime?: Pick<ScorerRuntime, "status" | "reason"> }) {
  const d = displayStatus(scorer, runtime);
  return (
    <span className={`chip ${d.tone}`} title={d.reason ?? undefined} data-status={d.key}>
      <span className="dot" aria-hidden />
      {d.label}
    </span>
  );
}
