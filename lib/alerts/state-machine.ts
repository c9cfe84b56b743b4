// The state machine of one rule and series, pure: the worker feeds it what the rollups say each
// minute and writes back the state and the effect (fire or resolve) in one transaction.
import type { alertStates } from "@/db/schema/alerts";

export type AlertState = (typeof alertStates)[number];

/** What an evaluation found: the condition holds, does not hold, or there was nothing to judge. */
export type Observation = "breach" | "ok" | "no_data";

export interface SeriesState {
  state: AlertState;
  /** When the current state began. */
  since: number;
  /** When the condition started holding without a break (PENDING, and FIRING's start). */
  pendingSince: number | null;
}

export type Effect = "fire" | "resolve" | null;

export interface Step {
  next: SeriesState;
  effect: Effect;
}

export const initialSeries = (now: number): SeriesState => ({ state: "OK", since: now, pendingSince: null });

const to = (state: AlertState, now: number, pendingSince: number | null, prev: SeriesState): SeriesState =>
  state === prev.state && pendingSince === prev.pendingSince ? prev : { state, since: state === prev.state ? prev.since : now, pendingSince };

/**
 * OK → PENDING when the condition first holds → FIRING once it has held for `forMs` → RESOLVED
 * when it stops → OK at the next clean evaluation. NO_DATA is not OK: it clears a PENDING (the
 * clock restarts with the next breach) but never resolves a FIRING alert, since silence is not
 * evidence of recovery.
 */
export function stepSeries(prev: SeriesState, obs: Observation, forMs: number, now: number): Step {
  const held = (since: number) => now - since >= forMs;
  switch (prev.state) {
    case "OK":
    case "RESOLVED":
    case "NO_DATA":
      if (obs === "breach") {
        if (held(now)) return { next: to("FIRING", now, now, prev), effect: "fire" };
        return { next: to("PENDING", now, now, prev), effect: null };
      }
      if (obs === "no_data") return { next: to("NO_DATA", now, null, prev), effect: null };
      return { next: to("OK", now, null, prev), effect: null };
    case "PENDING": {
      const since = prev.pendingSince ?? prev.since;
      if (obs === "breach") {
        if (held(since)) return { next: to("FIRING", now, since, prev), effect: "fire" };
        return { next: prev, effect: null };
      }
      if (obs === "no_data") return { next: to("NO_DATA", now, null, prev), effect: null };
      return { next: to("OK", now, null, prev), effect: null };
    }
    case "FIRING":
      if (obs === "ok") return { next: to("RESOLVED", now, null, prev), effect: "resolve" };
      return { next: prev, effect: null };
  }
}
