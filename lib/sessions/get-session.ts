import { z } from "zod";
import { NotFoundError, requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { parseRfc3339 } from "@/lib/core/time";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import type { Assessment, FeedbackValue, TraceState } from "@/lib/mlflow/types";
import { backendFor } from "@/lib/remote/backend-for";
import { storeExperimentId } from "@/lib/remote/linked";
import { sessionFilter } from "@/lib/remote/sessions";

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

interface LedgerRow {
  assessmentId: string;
  traceId: string;
  turns: number;
  jobId: string | null;
}

/**
 * One conversation: its turns in order (the latest 500 when longer) and every verdict, superseded
 * ones included. The engine's session table and ledger are local in both modes; the turns and the
 * assessments are read where the traces live: Vigil's store, or the linked MLflow (remote mode).
 */
export async function getSession({ ctx, input }: VerbArgs<GetSessionInput>): Promise<SessionDetail & { totalTurns: number }> {
  const i = GetSessionInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const db = ctx.db.$client;
  const s = db
    .prepare("SELECT turns, revision > sampled_revision AS pending, skip_reason FROM engine_sessions WHERE experiment_id = ? AND session_id = ?")
    .get(i.experimentId, i.sessionId) as { turns: number; pending: number; skip_reason: string | null } | undefined;
  if (!s) throw new NotFoundError(`Session '${i.sessionId.slice(0, 80)}' is not in experiment ${i.experimentId}.`);
  const head = { sessionId: i.sessionId, pending: s.pending === 1, skipReason: s.skip_reason };
  if (tracesHeldByMlflow(ctx.db, i.experimentId)) return { ...head, ...(await remoteSession(ctx, i.experimentId, i.sessionId)) };
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
  return { ...head, turns, verdicts, totalTurns: total.n };
}

/** Remote mode: the turns by MLflow's trace search on the session, the verdicts the ledger names as MLflow holds them on their traces. */
async function remoteSession(ctx: Ctx, experimentId: number, sessionId: string): Promise<Pick<SessionDetail, "turns" | "verdicts"> & { totalTurns: number }> {
  const backend = backendFor(ctx);
  const all: SessionTurnRow[] = [];
  let token: string | undefined;
  do {
    const page = await backend.searchTraces({
      experimentIds: [storeExperimentId(ctx.db, experimentId)],
      filter: sessionFilter(sessionId),
      orderBy: ["timestamp_ms ASC"],
      maxResults: 500,
      ...(token ? { pageToken: token } : {}),
    });
    for (const t of page.traces)
      all.push({
        traceId: t.trace_id,
        requestTime: parseRfc3339(t.request_time) ?? 0,
        state: t.state,
        requestPreview: t.request_preview ?? null,
        responsePreview: t.response_preview ?? null,
      });
    token = page.nextPageToken;
  } while (token);
  all.sort((a, b) => a.requestTime - b.requestTime || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
  const ledger = ctx.db.$client
    .prepare(
      `SELECT assessment_id AS assessmentId, trace_id AS traceId, turns, job_id AS jobId FROM engine_session_scores
       WHERE experiment_id = ? AND session_id = ? ORDER BY created_at DESC, rowid DESC`,
    )
    .all(experimentId, sessionId) as LedgerRow[];
  const onTrace = new Map<string, Assessment>();
  for (const traceId of new Set(ledger.map((l) => l.traceId))) {
    const info = await backend.getTraceInfo(traceId).catch(() => null); // a deleted trace: its verdicts are gone with it
    for (const a of info?.assessments ?? []) onTrace.set(a.assessment_id, a);
  }
  const verdicts: SessionVerdict[] = [];
  for (const l of ledger) {
    const a = onTrace.get(l.assessmentId);
    if (!a) continue;
    const error = a.feedback?.error;
    verdicts.push({
      assessmentId: a.assessment_id,
      traceId: l.traceId,
      name: a.assessment_name,
      value: error ? null : (a.feedback?.value ?? null),
      error: error ? JSON.stringify(error) : null,
      rationale: a.rationale ?? null,
      valid: a.valid !== false,
      overrides: a.overrides ?? null,
      turns: l.turns,
      createTime: parseRfc3339(a.create_time) ?? 0,
      jobId: l.jobId,
    });
  }
  verdicts.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : y.createTime - x.createTime));
  return { turns: all.slice(-MAX_TURNS_SHOWN), verdicts, totalTurns: all.length };
}
