import type { ScorerFunnel } from "@/lib/engine/runtime/get-scorer-funnel";
import type { ScorerJobOutcomes } from "@/lib/read/scorers/scorer-job-outcomes";
import { formatCount, formatDateTime } from "../format";
// The engine's funnel of one scorer → bars of a funnel: matched → sampled → scored / failed /
// skipped, each as a share of what the filter matched, and the reasons behind failures and
// skips. The engine counts "not sampled" and "filtered out" as skips too; here they explain the
// first two steps instead, so "Skipped" means sampled but not run (paused, budget...).
/** The fields of the engine's funnel this chart reads (a type-only import). */
export type FunnelIn = Pick<
  ScorerFunnel,
  "matched" | "sampled" | "scored" | "failed" | "skipped" | "retried" | "pending" | "failedByReason" | "skippedByReason" | "retriedByReason"
>;

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  /** Bar width: share of matched traces, 0..100. */
  pct: number;
  tone: "" | "ok" | "bad" | "warn";
}

export interface FunnelChartData {
  steps: FunnelStep[];
  reasons: { label: string; count: number; tone: "bad" | "warn" | "" }[];
  /** Traces the filter or the sample rate left out (context, not problems). */
  notSampled: number;
  filteredOut: number;
  empty: boolean;
  /** Sampled pairs still queued (judges, retries, a paused scorer). */
  inFlight: number;
  /** Assess and backfill jobs that ran the scorer on traces of the range, newest first. */
  jobs: { jobId: string; text: string; tone: "" | "bad" }[];
}

const BEFORE_SAMPLING = new Set(["not_sampled", "filtered_out", "invalid_filter", "filter_too_costly"]);
const FILTER_FAULTS = new Set(["invalid_filter", "filter_too_costly"]);

export const REASON_LABELS: Record<string, string> = {
  paused: "paused by an operator",
  account_paused: "judge account refused (paused)",
  budget: "daily budget spent",
  not_runnable: "scorer cannot run here",
  invalid_filter: "filter no longer parses",
  filter_too_costly: "filter scanned past its budget",
};

const reasonLabel = (r: string) => REASON_LABELS[r] ?? (r ? r.replace(/_/g, " ").toLowerCase() : "unspecified");

const jobWindow = (j: ScorerJobOutcomes["jobs"][number]) =>
  j.startMs === null && j.endMs === null
    ? "picked traces"
    : `traces ${j.startMs ? formatDateTime(j.startMs) : "from the start"} – ${j.endMs ? formatDateTime(j.endMs) : "now"}`;

/** Online scoring's funnel, then what jobs added: their outcomes are steps of their own (jobs sample apart). */
export function prepareFunnel(f: FunnelIn, jobs: ScorerJobOutcomes = { jobs: [], scored: 0, failed: 0 }): FunnelChartData {
  const notSampled = f.skippedByReason.not_sampled ?? 0;
  const filteredOut = f.skippedByReason.filtered_out ?? 0;
  const invalid = (f.skippedByReason.invalid_filter ?? 0) + (f.skippedByReason.filter_too_costly ?? 0);
  const skippedAfter = Math.max(0, f.skipped - notSampled - filteredOut - invalid);
  const base = Math.max(f.matched, f.sampled, 1);
  const pct = (n: number) => Math.min(100, (100 * n) / base);
  const steps: FunnelStep[] = [
    { key: "matched", label: "Matched by filter", count: f.matched, pct: pct(f.matched), tone: "" },
    { key: "sampled", label: "Sampled", count: f.sampled, pct: pct(f.sampled), tone: "" },
    { key: "scored", label: "Scored", count: f.scored, pct: pct(f.scored), tone: "ok" },
    { key: "failed", label: "Failed", count: f.failed, pct: pct(f.failed), tone: "bad" },
    { key: "skipped", label: "Skipped", count: skippedAfter, pct: pct(skippedAfter), tone: "warn" },
  ];
  if (jobs.jobs.length) {
    steps.push(
      { key: "job_scored", label: "Scored by jobs", count: jobs.scored, pct: pct(jobs.scored), tone: "ok" },
      { key: "job_failed", label: "Failed in jobs", count: jobs.failed, pct: pct(jobs.failed), tone: "bad" },
    );
  }
  const reasons = [
    ...Object.entries(f.failedByReason).map(([r, count]) => ({ label: `Failed: ${reasonLabel(r)}`, count, tone: "bad" as const })),
    ...Object.entries(f.skippedByReason)
      .filter(([r]) => !BEFORE_SAMPLING.has(r) || FILTER_FAULTS.has(r))
      .map(([r, count]) => ({ label: `Skipped: ${reasonLabel(r)}`, count, tone: FILTER_FAULTS.has(r) ? ("bad" as const) : ("warn" as const) })),
    ...Object.entries(f.retriedByReason).map(([r, count]) => ({ label: `Retried: ${reasonLabel(r)}`, count, tone: "" as const })),
  ].sort((a, b) => b.count - a.count);
  return {
    steps,
    reasons,
    notSampled,
    filteredOut,
    empty: f.matched === 0 && f.sampled === 0 && f.scored === 0 && f.failed === 0 && f.skipped === 0 && jobs.jobs.length === 0,
    inFlight: f.pending,
    jobs: jobs.jobs.map((j) => ({
      jobId: j.jobId,
      text: `${j.kind}${j.rescore ? " (score again)" : ""}, ${jobWindow(j)}, ${j.status.toLowerCase()}: ${formatCount(j.scored)} scored, ${formatCount(j.failed)} failed`,
      tone: j.failed > 0 ? ("bad" as const) : ("" as const),
    })),
  };
}
