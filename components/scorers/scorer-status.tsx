import type { Scorer } from "@/lib/monitoring/scorer-value";
import { STATUS_LABEL } from "./scorer-state";

const TONE: Record<Scorer["status"], string> = { STARTED: "ok", STOPPED: "", PAUSED: "warn", UNREGISTERED: "" };

/** Started / stopped / paused (with reason) / not runnable, as one chip a glance can read. */
export function ScorerStatusChip({ scorer, accountPaused }: { scorer: Scorer; accountPaused?: string | null }) {
  if (!scorer.runnable) {
    return <span className="chip bad" title={scorer.notRunnableReason}><span className="dot" aria-hidden />Not runnable</span>;
  }
  const tone = accountPaused ? "bad" : TONE[scorer.status];
  return (
    <span className={`chip ${tone}`} title={scorer.pausedReason} data-status={scorer.status}>
      <span className="dot" aria-hidden />{STATUS_LABEL[scorer.status]}
    </span>
  );
}
