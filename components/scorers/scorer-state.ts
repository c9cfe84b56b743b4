// How a lifecycle action changes a scorer as the overview shows it: applied optimistically the
// moment the on-call engineer confirms, then replaced by the server's answer. Pure and tested.
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";

export type ScorerActionKind = "pause" | "resume" | "start" | "stop" | "update" | "delete" | "resumeAccount" | "budget";

export interface ActionVars {
  name: string;
  reason?: string;
  sampleRate?: number;
  filterString?: string | null;
  dailyBudgetUsd?: number | null;
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
    case "resumeAccount":
    case "budget":
      return s;
  }
}

/** The engine's side of the same actions: lifting an account pause, setting a budget. */
export function optimisticRuntime(r: ScorerRuntime, kind: ScorerActionKind, v: ActionVars): ScorerRuntime {
  if (kind === "resumeAccount" && r.status === "ACCOUNT_PAUSED")
    return { ...r, status: "RUNNING", reason: null, accountPausedReason: null, accountPausedAt: null };
  if (kind === "budget" && v.dailyBudgetUsd !== undefined) return { ...r, dailyBudgetUsd: v.dailyBudgetUsd };
  return r;
}

export interface DisplayStatus {
  key: "NOT_RUNNABLE" | "STARTED" | "STOPPED" | "PAUSED" | "ACCOUNT_PAUSED" | "BUDGET_EXHAUSTED" | "UNREGISTERED";
  label: string;
  tone: "ok" | "warn" | "bad" | "";
  reason: string | null;
}

/**
 * One status for a row from the lifecycle's state (changed optimistically on click) and the
 * engine's (account pause, spent budget, runnability), the more serious first.
 */
export function displayStatus(s: Scorer, r: Pick<ScorerRuntime, "status" | "reason"> | undefined): DisplayStatus {
  if (!s.runnable) return { key: "NOT_RUNNABLE", label: "Not runnable", tone: "bad", reason: s.notRunnableReason ?? null };
  if (s.status === "PAUSED") return { key: "PAUSED", label: "Paused", tone: "warn", reason: s.pausedReason ?? null };
  if (s.status !== "STARTED") return { key: s.status, label: STATUS_LABEL[s.status], tone: "", reason: null };
  if (r?.status === "ACCOUNT_PAUSED") return { key: "ACCOUNT_PAUSED", label: "Paused: account error", tone: "bad", reason: r.reason };
  if (r?.status === "BUDGET_EXHAUSTED") return { key: "BUDGET_EXHAUSTED", label: "Budget spent", tone: "bad", reason: r.reason };
  return { key: "STARTED", label: "Started", tone: "ok", reason: null };
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

/** What kind of scorer this is, in an on-call engineer's words: the engine knows judges from code. */
export function scorerKindLabel(payload: Scorer["kind"], engine: ScorerRuntime["kind"]): string {
  if (engine === "judge" || payload === "instructions") return "LLM judge";
  switch (payload) {
    case "builtin":
      return "built-in code";
    case "vigil_module":
      return "team scorer";
    case "decorator":
      return "Python scorer";
    default:
      return "unknown kind";
  }
}
