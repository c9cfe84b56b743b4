// Reads the scorer lifecycle's tables (scorers, scorer_versions, online_configs; issue 4 owns
// them) beside the engine's own runtime state, into what the engine needs to sample and run.
import type { Db } from "@/db/client";
import { IDS, selectIn } from "@/db/in-chunks";
import { resolveScorer, type ResolvedScorer, type ScorerKind } from "@/scorers";
import { budgetLeft, utcDay } from "./cost";
import type { BlockReason } from "./decide";

export interface EngineScorer {
  scorerId: string;
  experimentId: number;
  name: string;
  /** The version that scores: the latest one when sampled. */
  version: number;
  /** The version's serialized_scorer (MLflow's JSON). */
  serialized: string;
  sampleRate: number;
  filterString: string | null;
  /** Paused by an operator (online_configs.paused_reason). */
  pausedReason: string | null;
  /** Paused by the engine after an account-level failure (engine_scorer_runtime). */
  accountPausedReason: string | null;
  dailyBudgetUsd: number | null;
  resolved: ResolvedScorer;
  /** null when Vigil cannot run it (resolved.runnable is false). */
  kind: ScorerKind | null;
  /** A shadow version (scorer_shadows): it scores the live version's sampled traces beside it. */
  shadow: boolean;
  /** MLflow's is_session_level_scorer: scores whole sessions (lib/engine/sessions), not traces. */
  sessionLevel: boolean;
}

interface Row {
  scorer_id: string;
  experiment_id: number;
  name: string;
  version: number;
  serialized_scorer: string;
  sample_rate: number | null;
  filter_string: string | null;
  paused_reason: string | null;
  account_paused_reason: string | null;
  daily_budget_usd: number | null;
  shadow?: number;
}

// Versions are append-only and never reused, so a (scorer, version) resolves the same forever.
const resolvedCache = new Map<string, ResolvedScorer>();
export function resolveCached(scorerId: string, version: number, serialized: string): ResolvedScorer {
  const key = `${scorerId}:${version}`;
  let r = resolvedCache.get(key);
  if (!r) {
    r = resolveScorer(serialized);
    if (resolvedCache.size > 10_000) resolvedCache.clear();
    resolvedCache.set(key, r);
  }
  return r;
}

/** The flag as written, for scorers Vigil cannot run (they still sample in their own level's group). */
function sessionFlag(serialized: string): boolean {
  try {
    return (JSON.parse(serialized) as { is_session_level_scorer?: unknown }).is_session_level_scorer === true;
  } catch {
    return false;
  }
}

function toScorer(r: Row): EngineScorer {
  const resolved = resolveCached(r.scorer_id, r.version, r.serialized_scorer);
  return {
    scorerId: r.scorer_id,
    experimentId: r.experiment_id,
    name: r.name,
    version: r.version,
    serialized: r.serialized_scorer,
    sampleRate: r.sample_rate ?? 0,
    filterString: r.filter_string || null,
    pausedReason: r.paused_reason,
    accountPausedReason: r.account_paused_reason,
    dailyBudgetUsd: r.daily_budget_usd,
    resolved,
    kind: resolved.runnable ? resolved.scorer.kind : null,
    shadow: r.shadow === 1,
    sessionLevel: resolved.runnable ? resolved.scorer.level === "session" : sessionFlag(r.serialized_scorer),
  };
}

const SELECT = `
  SELECT s.scorer_id, s.experiment_id, s.name, v.version, v.serialized_scorer,
         c.sample_rate, c.filter_string, c.paused_reason, r.account_paused_reason, r.daily_budget_usd
  FROM scorers s
  JOIN scorer_versions v ON v.scorer_id = s.scorer_id
  LEFT JOIN online_configs c ON c.scorer_id = s.scorer_id
  LEFT JOIN engine_scorer_runtime r ON r.scorer_id = s.scorer_id`;
const LATEST = "v.version = (SELECT MAX(version) FROM scorer_versions WHERE scorer_id = s.scorer_id)";

/**
 * Scorers of an experiment whose sample rate is above 0 (MLflow's "started"), latest versions, of
 * one level: as MLflow's group_scorers_by_filter(session_level), traces and sessions sample apart.
 */
export function samplingScorers(db: Db, experimentId: number, level: "trace" | "session" = "trace"): EngineScorer[] {
  const rows = db.$client.prepare(`${SELECT} WHERE s.experiment_id = ? AND c.sample_rate > 0 AND ${LATEST} ORDER BY s.name`).all(experimentId) as Row[];
  return rows.map(toScorer).filter((s) => s.sessionLevel === (level === "session"));
}

/** Registered scorers by name (latest versions), started or not. */
export function scorersByName(db: Db, experimentId: number, names: readonly string[]): Map<string, EngineScorer> {
  const out = new Map<string, EngineScorer>();
  if (names.length === 0) return out;
  const rows = selectIn<Row>(db.$client, `${SELECT} WHERE s.experiment_id = ? AND s.name IN ${IDS} AND ${LATEST}`, names, { before: [experimentId] });
  for (const r of rows) out.set(r.name, toScorer(r));
  return out;
}

// A shadow version read like a registered one: the scorer's name, config and runtime, its own payload.
const SHADOW_SELECT = `
  SELECT s.scorer_id, s.experiment_id, s.name, v.version, v.serialized_scorer, 1 AS shadow,
         c.sample_rate, c.filter_string, c.paused_reason, r.account_paused_reason, r.daily_budget_usd
  FROM scorers s
  JOIN scorer_shadows v ON v.scorer_id = s.scorer_id AND v.state = 'shadow'
  LEFT JOIN online_configs c ON c.scorer_id = s.scorer_id
  LEFT JOIN engine_scorer_runtime r ON r.scorer_id = s.scorer_id`;

/** One exact version (a shadow's too), for a queued task; undefined when it was deleted or discarded since. */
export function scorerVersion(db: Db, scorerId: string, version: number): EngineScorer | undefined {
  const row = (db.$client.prepare(`${SELECT} WHERE s.scorer_id = ? AND v.version = ?`).get(scorerId, version) ??
    db.$client.prepare(`${SHADOW_SELECT} WHERE s.scorer_id = ? AND v.version = ?`).get(scorerId, version)) as Row | undefined;
  return row ? toScorer(row) : undefined;
}

/** The experiment's shadow versions by scorer id: each scores the traces its live version is sampled for. */
export function shadowScorers(db: Db, experimentId: number): Map<string, EngineScorer[]> {
  const out = new Map<string, EngineScorer[]>();
  const rows = db.$client.prepare(`${SHADOW_SELECT} WHERE s.experiment_id = ? ORDER BY s.name, v.version`).all(experimentId) as Row[];
  for (const r of rows) {
    const list = out.get(r.scorer_id) ?? [];
    list.push(toScorer(r));
    out.set(r.scorer_id, list);
  }
  return out;
}

/** Estimated judge spend today (UTC) per scorer name of an experiment. */
export function spentToday(db: Db, experimentId: number, now: number): Map<string, number> {
  const rows = db.$client
    .prepare("SELECT scorer_name AS name, SUM(cost_usd) AS spent FROM engine_usage WHERE experiment_id = ? AND day = ? GROUP BY scorer_name")
    .all(experimentId, utcDay(now)) as { name: string; spent: number }[];
  return new Map(rows.map((r) => [r.name, r.spent]));
}

/**
 * Why a scorer may not run now, or null. `online` work also stops for an operator's pause;
 * jobs were asked for explicitly and run through it. Account pauses and budgets stop both.
 */
export function blockOf(s: EngineScorer, spentUsd: number, online: boolean): BlockReason | null {
  if (s.kind === null) return "not_runnable";
  if (s.accountPausedReason) return "account_paused";
  if (online && s.pausedReason) return "paused";
  if (!budgetLeft(s.dailyBudgetUsd, spentUsd)) return "budget";
  return null;
}
