// What the dashboard says about the remote MLflow (top-bar pill, banner, checkpoint cell); pure so
// it is unit-tested. Only lastError reaches the user: the client already words it for people.
import type { RemoteExperimentStatus, RemoteStatus } from "@/lib/remote/status";
import { formatAgo } from "./format";

export type Tone = "ok" | "bad" | "info";

/** The top-bar pill: null in embedded mode, where there is no remote MLflow to speak of. */
export function remotePill(s: RemoteStatus): { label: string; tone: Tone } | null {
  if (s.mode !== "remote") return null;
  if (s.reachable === null) return { label: "MLflow · connecting", tone: "info" };
  return s.reachable ? { label: "MLflow · connected", tone: "ok" } : { label: "MLflow · unreachable", tone: "bad" };
}

/** The banner shown on every page while MLflow does not answer; null otherwise. */
export function remoteBanner(s: RemoteStatus, now: number): string | null {
  if (s.mode !== "remote" || s.reachable !== false) return null;
  const answered = s.lastOkAt ? formatAgo(s.lastOkAt, now) : "never";
  const why = s.lastError ? `: ${s.lastError.replace(/[.\s]+$/, "")}` : "";
  return `MLflow at ${s.trackingUri ?? "the tracking URI"} is unreachable (last answered ${answered})${why}. Scoring waits and catches up when it answers.`;
}

/**
 * The checkpoint cell. While MLflow scores, Vigil reads no traces, so its cursor means nothing
 * unless online pairs queued before the switch are still being finished (jobs have no checkpoint).
 */
export function checkpointOf(e: Pick<RemoteExperimentStatus, "scored_by" | "checkpoint_ms" | "pending_online" | "vigil_runs">): number | null {
  // When MLflow scores everything started here, Vigil's cursor says nothing about scoring.
  if (e.scored_by === "mlflow" && e.vigil_runs.length === 0 && e.pending_online === 0) return null;
  return e.checkpoint_ms;
}

export const SCORED_BY_LABEL: Record<RemoteExperimentStatus["scored_by"], string> = { vigil: "Vigil", mlflow: "MLflow" };
