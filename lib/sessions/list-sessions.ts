import { z } from "zod";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";
import { requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";

export const ListSessionsInput = z.object({
  experimentId: experimentIdString,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only conversations with at least this many turns (the view hides one-turn sessions by default). */
  minTurns: z.coerce.number().int().min(1).default(1),
  /** Keyset: sessions whose latest turn is older than this (ms). */
  before: z.coerce.number().int().optional(),
});
export type ListSessionsInput = z.input<typeof ListSessionsInput>;

export interface SessionSummary {
  sessionId: string;
  turns: number;
  firstTimeMs: number;
  lastTimeMs: number;
  lastJoinedAt: number;
  /** Waiting for the completion buffer or for scoring (a turn joined since it was last sampled). */
  pending: boolean;
  skipReason: string | null;
  /** Verdicts that count now, and superseded ones kept. */
  assessments: number;
  superseded: number;
}

/** An experiment's conversations, latest activity first (the sessions view). */
export function listSessions({ ctx, input }: VerbArgs<ListSessionsInput>): { sessions: SessionSummary[]; next: number | null } {
  const i = ListSessionsInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  // Remote mode: the assessments are on MLflow, so the ledger counts: each scorer's latest verdict is current.
  const counts = tracesHeldByMlflow(ctx.db, i.experimentId)
    ? "COUNT(DISTINCT l.scorer_id) AS assessments, COUNT(l.assessment_id) - COUNT(DISTINCT l.scorer_id) AS superseded"
    : "COALESCE(SUM(a.valid = 1), 0) AS assessments, COALESCE(SUM(a.valid = 0), 0) AS superseded";
  const rows = ctx.db.$client
    .prepare(
      `SELECT s.session_id AS sessionId, s.turns, s.first_time_ms AS firstTimeMs, s.last_time_ms AS lastTimeMs, s.last_joined_at AS lastJoinedAt,
              s.revision > s.sampled_revision AS pending, s.skip_reason AS skipReason, ${counts}
       FROM engine_sessions s
       LEFT JOIN engine_session_scores l ON l.experiment_id = s.experiment_id AND l.session_id = s.session_id
       LEFT JOIN assessments a ON a.assessment_id = l.assessment_id
       WHERE s.experiment_id = ? AND s.last_time_ms < ? AND s.turns >= ?
       GROUP BY s.experiment_id, s.session_id ORDER BY s.last_time_ms DESC, s.session_id LIMIT ?`,
    )
    .all(i.experimentId, i.before ?? Number.MAX_SAFE_INTEGER, i.minTurns, i.limit + 1) as (Omit<SessionSummary, "pending"> & { pending: number })[];
  const page = rows.slice(0, i.limit).map((r) => ({ ...r, pending: r.pending === 1 }));
  return { sessions: page, next: rows.length > i.limit ? page[page.length - 1]!.lastTimeMs : null };
}
