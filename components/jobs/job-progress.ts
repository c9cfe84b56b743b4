// A job's progress bar and words, from lib/engine's JobJson. Pure and tested.
import type { JobJson } from "@/lib/engine/jobs";

export const ACTIVE_STATUSES: readonly JobJson["status"][] = ["QUEUED", "RUNNING"];
export const isActive = (j: Pick<JobJson, "status">) => ACTIVE_STATUSES.includes(j.status);

export interface JobProgress {
  /** 0..100, or null while the total is unknown (a backfill still scanning with nothing sampled yet). */
  pct: number | null;
  label: string;
  tone: "" | "done" | "failed";
}

export function jobProgress(j: Pick<JobJson, "kind" | "status" | "total" | "done" | "failed" | "skipped" | "traces_total" | "traces_scanned">): JobProgress {
  // The total counts every pair the job selected, including those already scored (skipped).
  const finished = j.done + j.failed + j.skipped;
  const scanning = j.kind === "backfill" && j.traces_scanned < j.traces_total && isActive(j);
  const fmt = (n: number) => n.toLocaleString("en-US");
  const tone = j.status === "SUCCEEDED" ? "done" : j.status === "FAILED" ? "failed" : "";
  if (j.status === "SUCCEEDED" && j.total === 0) {
    return { pct: 100, label: `Nothing to score${j.skipped ? ` (${fmt(j.skipped)} already scored)` : ""}`, tone };
  }
  // "10 of 10 done" over pairs that were all scored before would read as ten new results.
  if (j.status === "SUCCEEDED" && j.done + j.failed === 0 && j.skipped > 0) {
    return { pct: 100, label: `Nothing new to score: all ${fmt(j.skipped)} already scored`, tone };
  }
  // While a backfill scans, its pair total is still growing: the scan is the honest measure.
  if (scanning) {
    const pct = j.traces_total ? (100 * j.traces_scanned) / j.traces_total : null;
    return { pct, label: `Scanning ${fmt(j.traces_scanned)} of ${fmt(j.traces_total)} traces · ${fmt(j.done)} scored`, tone };
  }
  const pct = j.total > 0 ? Math.min(100, (100 * finished) / j.total) : j.status === "QUEUED" ? 0 : null;
  const parts = [`${fmt(finished)} of ${fmt(j.total)} done`];
  if (j.failed) parts.push(`${fmt(j.failed)} failed`);
  if (j.skipped) parts.push(`${fmt(j.skipped)} already scored`);
  return { pct, label: parts.join(" · "), tone };
}

/** How often the jobs list refreshes: quickly while something runs, slowly otherwise. */
export function jobsRefetchInterval(jobs: readonly Pick<JobJson, "status">[]): number {
  return jobs.some(isActive) ? 1000 : 15_000;
}

/** What a job targets, in words: picked traces, or its window and filter. */
export function jobTarget(j: Pick<JobJson, "start_time_ms" | "end_time_ms" | "filter_string" | "trace_ids_count">, fmt: (ms: number) => string): string {
  if (j.trace_ids_count) return `${j.trace_ids_count} picked trace${j.trace_ids_count === 1 ? "" : "s"}`;
  const from = j.start_time_ms ? fmt(j.start_time_ms) : null;
  const to = j.end_time_ms ? fmt(j.end_time_ms) : null;
  const window = from && to ? `${from} – ${to}` : from ? `since ${from}` : to ? `until ${to}` : "all traces";
  return j.filter_string ? `${window} · ${j.filter_string}` : window;
}
