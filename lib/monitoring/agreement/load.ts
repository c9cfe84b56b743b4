// What the agreement verbs read: one scorer's valid feedback on an experiment's traces, the
// engine's (by scorer version) and people's (source HUMAN), as ratings. Indexed by
// (experiment_id, name, create_time); newest first, capped so a page stays fast.
import type { Db } from "@/db/client";
import { ratingOfJson, type Rating } from "./values";

export interface ScoreRow {
  traceId: string;
  /** null for a person's label (and any feedback without a scorer version). */
  version: number | null;
  human: boolean;
  rating: Rating | null;
  isError: boolean;
  createTime: number;
  costUsd: number | null;
  judged: boolean;
  rationale: string | null;
}

interface Raw {
  trace_id: string;
  scorer_version: number | null;
  source_type: string;
  value: string | null;
  error: string | null;
  create_time: number;
  cost: string | null;
  judge_model: string | null;
  rationale: string | null;
}

export const MAX_ROWS = 50_000;

export function loadScores(db: Db, experimentId: number, name: string): ScoreRow[] {
  const rows = db.$client
    .prepare(
      `SELECT trace_id, scorer_version, source_type, value, error, create_time, rationale,
         json_extract(metadata, '$.cost_usd') AS cost, json_extract(metadata, '$.judge_model') AS judge_model
       FROM assessments WHERE experiment_id = ? AND name = ? AND kind = 'feedback' AND valid = 1
         AND (scorer_id IS NOT NULL OR source_type = 'HUMAN')
       ORDER BY create_time DESC LIMIT ${MAX_ROWS}`,
    )
    .all(experimentId, name) as Raw[];
  return rows.map((r) => ({
    traceId: r.trace_id,
    version: r.source_type === "HUMAN" ? null : r.scorer_version,
    human: r.source_type === "HUMAN",
    rating: r.error === null ? ratingOfJson(r.value) : null,
    isError: r.error !== null,
    createTime: r.create_time,
    costUsd: r.cost === null ? null : Number(r.cost),
    judged: r.judge_model !== null,
    rationale: r.rationale,
  }));
}

/** trace -> the version's score there (the newest, if a re-run left several). */
export function byTrace(rows: readonly ScoreRow[], pick: (r: ScoreRow) => boolean): Map<string, ScoreRow> {
  const out = new Map<string, ScoreRow>();
  for (const r of rows) if (pick(r) && !out.has(r.traceId)) out.set(r.traceId, r);
  return out;
}

export interface VersionCost {
  assessments: number;
  errors: number;
  /** Mean judge cost of a priced assessment; 0 for a code scorer; null when no call was priced. */
  costPerAssessmentUsd: number | null;
  unpriced: number;
}

export function versionCost(rows: readonly ScoreRow[]): VersionCost {
  const judged = rows.filter((r) => r.judged);
  const priced = judged.filter((r) => r.costUsd !== null && Number.isFinite(r.costUsd));
  const cost = judged.length === 0 ? 0 : priced.length === 0 ? null : priced.reduce((s, r) => s + r.costUsd!, 0) / priced.length;
  return { assessments: rows.length, errors: rows.filter((r) => r.isError).length, costPerAssessmentUsd: cost, unpriced: judged.length - priced.length };
}
