import { z } from "zod";
import { NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import type { FeedbackValue, TraceState } from "@/lib/mlflow/types";

export const GetSessionInput = z.object({ experimentId: experimentIdString, sessionId: z.string().min(1).max(10_000) });
export type GetSessionInput = z.input<typeof GetSessionInput>;

export interface SessionTurnRow {
  traceId: string;
  requestTime: number;
  state: TraceState;
  requestPreview: string | null;
  responsePreview: string | null;
}

export interface SessionVerdict {
  assessmentId: string;
  traceId: string;
  name: string;
  value: FeedbackValue | null;
  error: string | null;
  rationale: string | null;
  valid: boolean;
  overrides: string | null;
  /** How many turns the verdict judged (the session's size when it was scored). */
  turns: number;
  createTime: number;
  jobId: string | null;
}

export interface SessionDetail {
  sessionId: string;
  turns: SessionTurnRow[];
  verdicts: SessionVerdict[];
  pending: boolean;
  skipReason: string | null;
}

const MAX_TURNS_SHOWN = 500;

/** One conversation: its turns in order (the latest 500 when longer) and every verdict, superseded ones included. */
export function getSession({ ctx, input }: VerbArgs<GetSessionInput>): SessionDetail & { totalTurns: number } {
  const i = GetSessionInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const db = ctx.db.$client;
  const s = db
    .prepare("SELECT turns, revision > sampled_revision AS pending, skip_reason FROM engine_sessions WHERE experiment_id = ? AND session_id = ?")
    .get(i.experimentId, i.sessionId) as { turns: number; pending: number; skip_reason: string | null } | undefined;
  if (!s) throw new NotFoundError(`Session '${i.sessionId.slice(0, 80)}' is not in experiment ${i.experimentId}.`);
  const turns = (
    db
      .prepare(
        `SELECT trace_id AS traceId, request_time AS requestTime, state, request_preview AS requestPreview, response_preview AS responsePreview
         FROM traces INDEXED BY traces_meta_session_idx WHERE experiment_id = ? AND trace_metadata ->> '$."mlflow.trace.session"' = ? ORDER BY request_time DESC, trace_id DESC LIMIT ?`,
      )
      .all(i.experimentId, i.sessionId, MAX_TURNS_SHOWN) as SessionTurnRow[]
  ).reverse();
  const verdicts = (
    db
      .prepare(
        `SELECT a.assessment_id AS assessmentId, a.trace_id AS traceId, a.name, a.value, a.error, a.rationale, a.valid, a.overrides,
                l.turns, a.create_time AS createTime, l.job_id AS jobId
         FROM engine_session_scores l JOIN assessments a ON a.assessment_id = l.assessment_id
         WHERE l.experiment_id = ? AND l.session_id = ? ORDER BY a.name, a.create_time DESC, a.assessment_id`,
      )
      .all(i.experimentId, i.sessionId) as (Omit<SessionVerdict, "valid" | "value"> & { valid: number; value: string | null })[]
  ).map((v) => ({ ...v, valid: v.valid === 1, value: v.value === null ? null : (JSON.parse(v.value) as FeedbackValue) }));
  const total = db
    .prepare(
      `SELECT COUNT(*) AS n FROM traces INDEXED BY traces_meta_session_idx WHERE experiment_id = ? AND trace_metadata ->> '$."mlflow.trace.session"' = ?`,
    )
    .get(i.experimentId, i.sessionId) as { n: number };
  return { sessionId: i.sessionId, turns, verdicts, pending: s.pending === 1, skipReason: s.skip_reason, totalTurns: total.n };
}
