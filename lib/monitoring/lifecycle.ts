// The scorer lifecycle rules as pure functions (MLflow's "Scorer lifecycle" plus Vigil's pause):
// status is derived, never stored; every verb asks these functions whether a change is allowed,
// what kind of change it is, and which role it needs.
import { InvalidParameterError, InvalidStateError, NotFoundError, type Role } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";

export const SCORER_STATUSES = ["UNREGISTERED", "STARTED", "STOPPED", "PAUSED"] as const;
export type ScorerStatus = (typeof SCORER_STATUSES)[number];

export interface SamplingState {
  registered: boolean;
  /** 0 when no online config exists yet. */
  sampleRate: number;
  pausedReason: string | null;
}

/**
 * MLflow: UNREGISTERED (never registered), STARTED (sample_rate > 0), STOPPED (otherwise).
 * Vigil adds PAUSED: an operator's pause shows as such whatever the kept rate is.
 */
export function deriveStatus(s: SamplingState): ScorerStatus {
  if (!s.registered) return "UNREGISTERED";
  if (s.pausedReason !== null) return "PAUSED";
  return s.sampleRate > 0 ? "STARTED" : "STOPPED";
}

/** The engine's rule: a scorer samples traces iff its rate is above 0 and it is not paused. */
export function isSampling(s: Pick<SamplingState, "sampleRate" | "pausedReason">): boolean {
  return s.sampleRate > 0 && s.pausedReason === null;
}

/** A rate from JSON, a query string or a config file: a number (or numeric string) in [0, 1]. */
export function parseSampleRate(value: unknown, param = "sample_rate"): number {
  if (value === undefined || value === null) throw new InvalidParameterError(`Missing value for required parameter '${param}'.`);
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidParameterError(`Invalid value ${JSON.stringify(value ?? null)} for parameter '${param}': it must be a number between 0 and 1.`);
  }
  return n;
}

/** MLflow's start() refuses a rate of 0: starting means sampling something. */
export function requireStartRate(rate: number): number {
  if (!(rate > 0)) {
    throw new InvalidParameterError(`When starting a scorer, the sample rate must be greater than 0 (got ${rate}); use stop to turn it off.`);
  }
  return rate;
}

/** A filter string checked with the trace-search parser; blank means "every trace" (null). */
export function normalizeFilter(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw new InvalidParameterError(`Invalid value ${JSON.stringify(value)} for parameter 'filter_string': it must be a string.`);
  }
  if (value.trim() === "") return null;
  parseFilter(value); // throws InvalidParameterError with the parser's position and reason
  return value;
}

export type SamplingChange = "noop" | "start" | "stop" | "update";

export interface SamplingConfig {
  sampleRate: number;
  filterString: string | null;
}

/**
 * What setting `after` on a scorer currently at `before` amounts to: turning it on (start),
 * off (stop), changing what a running scorer samples (update), or nothing (noop). A filter
 * edit on a stopped scorer is an update too: it changes what a later start will sample.
 */
export function classifySamplingChange(before: SamplingConfig, after: SamplingConfig): SamplingChange {
  if (before.sampleRate === after.sampleRate && before.filterString === after.filterString) return "noop";
  if (after.sampleRate === 0) return before.sampleRate > 0 ? "stop" : "update";
  if (before.sampleRate === 0) return "start";
  return "update";
}

export type LifecycleAction = "register" | "start" | "update" | "stop" | "pause" | "resume" | "delete";

/**
 * Who may do what. On-call operators turn scorers on and off and pause them; changing what a
 * scorer is (register, delete) or how much it samples once running (update: rate or filter,
 * i.e. its cost) is an admin's decision. Reading needs viewer.
 */
export type WriterRole = Extract<Role, "operator" | "admin">;

export const ROLE_FOR_ACTION: Readonly<Record<LifecycleAction, WriterRole>> = Object.freeze({
  register: "admin",
  start: "operator",
  stop: "operator",
  pause: "operator",
  resume: "operator",
  update: "admin",
  delete: "admin",
});

/** The role a sampling change needs; a no-op still needs the right to attempt the change. */
export function roleForSamplingChange(change: SamplingChange): WriterRole {
  return change === "noop" ? "operator" : ROLE_FOR_ACTION[change];
}

/**
 * Whether `action` may be applied to a scorer in `status`; throws the error the caller should
 * see otherwise. Start/update/stop/pause/resume/delete of a never-registered scorer is a 404,
 * as in MLflow; pause and resume only make sense from STARTED and PAUSED respectively.
 */
export function checkTransition(action: LifecycleAction, status: ScorerStatus, name: string): void {
  if (action === "register") return;
  if (status === "UNREGISTERED") {
    throw new NotFoundError(`Scorer '${name}' is not registered; register it before you ${action} it.`);
  }
  if (action === "pause" && status !== "STARTED") {
    throw new InvalidStateError(status === "PAUSED" ? `Scorer '${name}' is already paused.` : `Scorer '${name}' is stopped; there is nothing to pause.`);
  }
  if (action === "resume" && status !== "PAUSED") {
    throw new InvalidStateError(`Scorer '${name}' is not paused (it is ${status.toLowerCase()}).`);
  }
}
