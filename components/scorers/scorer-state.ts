// How a lifecycle action changes a scorer as the overview shows it: applied optimistically the
// moment the on-call engineer confirms, then replaced by the server's answer. Pure and tested.
import type { Scorer } from "@/lib/monitoring/scorer-value";

export type ScorerActionKind = "pause" | "resume" | "start" | "stop" | "update" | "delete";

export interface ActionVars {
  name: string;
  reason?: string;
  sampleRate?: number;
  filterString?: string | null;
}

/** The scorer after `kind`, as the server will answer it; null when it is gone. */
export function optimisticScorer(s: Scorer, kind: ScorerActionKind, v: ActionVars): Scorer | null {
  switch (kind) {
    case "pause":
      return { ...s, status: "PAUSED", pausedReason: v.reason?.trim() || "Paused by an operator." };
    case "resume": {
      const { pausedReason: _r, pausedAt: _a, pausedBy: _b, ...rest } = s;
      return { ...rest, status: s.sampleRate > 0 ? "STARTED" : "STOPPED" };
    }
    case "stop": {
      const { pausedReason: _r, pausedAt: _a, pausedBy: _b, ...rest } = s;
      return { ...rest, status: "STOPPED", sampleRate: 0 };
    }
    case "start":
    case "update": {
      const sampleRate = v.sampleRate ?? s.sampleRate;
      const filterString = v.filterString === undefined ? s.filterString : v.filterString || null;
      const status = s.status === "PAUSED" ? "PAUSED" : sampleRate > 0 ? "STARTED" : "STOPPED";
      return { ...s, sampleRate, filterString, status };
    }
    case "delete":
      return null;
  }
}

export const STATUS_LABEL: Record<Scorer["status"], string> = {
  STARTED: "Started",
  STOPPED: "Stopped",
  PAUSED: "Paused",
  UNREGISTERED: "Not registered",
};

/** The words under a sampling config: "10% of traces" or "25% of traces matching …". */
export function samplingText(s: Pick<Scorer, "sampleRate" | "filterString">): string {
  const pct = `${+(s.sampleRate * 100).toFixed(2)}%`;
  return s.filterString ? `${pct} of traces matching ${s.filterString}` : `${pct} of traces`;
}
