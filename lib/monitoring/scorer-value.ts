// The immutable Scorer value every monitoring verb returns: a snapshot of one registered version
// with its online sampling config and derived status. Deeply frozen, so a caller holding an old
// value keeps seeing the old state after any later change (MLflow's immutable-scorer rule).
import type { onlineConfigs, scorerVersions, scorers } from "@/db/schema/scorers";
import { resolveScorer, type PayloadKind } from "@/scorers";
import { deriveStatus, type ScorerStatus } from "./lifecycle";

export interface Scorer {
  readonly experimentId: string;
  readonly name: string;
  /** null only for a value that was never registered (the object API's defined-but-unregistered scorer). */
  readonly version: number | null;
  readonly scorerId: string | null;
  /** MLflow's SerializedScorer JSON text, exactly as registered. */
  readonly serializedScorer: string;
  /** The payload kind, or "unknown" when the JSON has no recognisable payload. */
  readonly kind: PayloadKind | "unknown";
  /** Whether Vigil can run it; when not, why (shown as "not runnable here", never skipped silently). */
  readonly runnable: boolean;
  readonly notRunnableReason?: string;
  readonly sampleRate: number;
  readonly filterString: string | null;
  readonly status: ScorerStatus;
  readonly pausedReason?: string;
  readonly pausedAt?: number;
  readonly pausedBy?: string;
  /** Present once a sampling config exists (MLflow's online_scoring_config_id). */
  readonly onlineScoringConfigId?: string;
  readonly creationTime: number | null;
}

export type ScorerRow = typeof scorers.$inferSelect;
export type ScorerVersionRow = typeof scorerVersions.$inferSelect;
export type OnlineConfigRow = typeof onlineConfigs.$inferSelect;

/** Object.freeze all the way down (the value holds only plain data). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

function runnability(serialized: string): Pick<Scorer, "kind" | "runnable" | "notRunnableReason"> {
  const r = resolveScorer(serialized);
  return r.runnable ? { kind: r.kind, runnable: true } : { kind: r.kind ?? "unknown", runnable: false, notRunnableReason: r.reason };
}

/** Builds the value of one registered version; `config` is the scorer's sampling config, if any. */
export function scorerValue(row: ScorerRow, version: ScorerVersionRow, config: OnlineConfigRow | undefined): Scorer {
  const sampleRate = config?.sampleRate ?? 0;
  const pausedReason = config?.pausedReason ?? null;
  const value: Scorer = {
    experimentId: String(row.experimentId),
    name: row.name,
    version: version.version,
    scorerId: row.scorerId,
    serializedScorer: version.serializedScorer,
    ...runnability(version.serializedScorer),
    sampleRate,
    filterString: config?.filterString ?? null,
    status: deriveStatus({ registered: true, sampleRate, pausedReason }),
    ...(pausedReason !== null ? { pausedReason } : {}),
    ...(config?.pausedAt != null ? { pausedAt: config.pausedAt } : {}),
    ...(config?.pausedBy != null ? { pausedBy: config.pausedBy } : {}),
    ...(config ? { onlineScoringConfigId: config.onlineScoringConfigId } : {}),
    creationTime: version.creationTime,
  };
  return deepFreeze(value);
}

/** A scorer described but not (or no longer) registered: status UNREGISTERED, nothing sampled. */
export function unregisteredValue(experimentId: string | number, name: string, serializedScorer: string): Scorer {
  return deepFreeze({
    experimentId: String(experimentId),
    name,
    version: null,
    scorerId: null,
    serializedScorer,
    ...runnability(serializedScorer),
    sampleRate: 0,
    filterString: null,
    status: "UNREGISTERED" as const,
    creationTime: null,
  });
}

/** The part of a value the audit log records as "before" / "after" for sampling changes. */
export function samplingSnapshot(v: Scorer) {
  return {
    version: v.version,
    status: v.status,
    sample_rate: v.sampleRate,
    filter_string: v.filterString,
    ...(v.pausedReason !== undefined ? { paused_reason: v.pausedReason } : {}),
  };
}
