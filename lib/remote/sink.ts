// The MLflow-REST store's assessment sink: each assessment is written onto its trace in MLflow
// exactly once, marked as Vigil's (vigil.scorer_id / vigil.scorer_version). The write is not
// atomic with Vigil's ledger: when a create may have landed without an answer (the task's
// write-attempted mark), the trace is looked up first and the assessment found there is taken.
import type Database from "better-sqlite3";
import type { AssessmentCreate } from "@/lib/backend/types";
import { NotFoundError, UpstreamUnavailableError } from "@/lib/core";
import type { AssessmentInsert } from "@/lib/engine/outcomes";
import { pairKey, type RemoteSink, type Scored, type SinkWrite, type StoredAssessment } from "@/lib/engine/ports";
import { addPoints } from "@/lib/metrics/add-points";
import type { Assessment, FeedbackValue } from "@/lib/mlflow/types";
import { ONLINE_SESSION_ID_KEY } from "@/scorers";
import { recordScored, scoredKeys } from "./ledger";
import { feedbackColumns, findOurs, markerOf, SCORER_ID_KEY, SCORER_VERSION_KEY } from "./assessment-markers";
import type { RemoteCtx } from "./remote-ctx";

/** The engine's assessment row as MLflow's Assessment JSON, marked as Vigil's. */
export function toAssessmentCreate(row: AssessmentInsert): AssessmentCreate {
  const metadata = { ...(JSON.parse(row.metadata) as Record<string, string>), [SCORER_ID_KEY]: row.scorerId, [SCORER_VERSION_KEY]: String(row.scorerVersion) };
  const error = row.error ? (JSON.parse(row.error) as { error_code: string; error_message?: string }) : undefined;
  return {
    trace_id: row.traceId,
    assessment_name: row.name,
    source: { source_type: row.sourceType, source_id: row.sourceId },
    feedback: error ? { error } : { value: JSON.parse(row.value ?? "null") as FeedbackValue },
    ...(row.rationale ? { rationale: row.rationale } : {}),
    metadata,
  };
}

/** What a failed write to MLflow means for the pair: wait (down), drop (trace gone), record the refusal, or a bug. */
export function writeFailure(e: unknown): SinkWrite {
  if (e instanceof UpstreamUnavailableError) return { status: "unavailable", error: e.message };
  if (e instanceof NotFoundError) return { status: "trace_gone" };
  if (e instanceof Error && "code" in e) return { status: "rejected", error: e.message };
  throw e;
}

export const stored = (a: Assessment): StoredAssessment => ({ assessmentId: a.assessment_id, ...feedbackColumns(a) });

export function remoteSink(rc: RemoteCtx): RemoteSink {
  const db = (): Database.Database => rc.ctx.db.$client;
  return {
    atomic: false,
    get concurrency() {
      return rc.writeConcurrency;
    },

    async scored(traces): Promise<Scored> {
      const keys = scoredKeys(
        db(),
        traces.map((t) => t.traceId),
      );
      const found: Scored["found"] = [];
      // Written before Vigil's ledger knew (a crash between MLflow's answer and the commit).
      for (const t of traces) {
        for (const a of t.info?.assessments ?? []) {
          const m = markerOf(a);
          // A session's verdict on its first trace is the session ledger's (lib/remote/sessions.ts), not a trace pair.
          if (!m || a.metadata?.[ONLINE_SESSION_ID_KEY] !== undefined || keys.has(pairKey(t.traceId, m.scorerId, m.version))) continue;
          keys.add(pairKey(t.traceId, m.scorerId, m.version));
          found.push({
            pair: {
              traceId: t.traceId,
              experimentId: t.experimentId,
              traceTimeMs: t.timeMs,
              scorerId: m.scorerId,
              scorerName: a.assessment_name,
              scorerVersion: m.version,
              jobId: null,
            },
            assessment: stored(a),
          });
        }
      }
      return { keys, found };
    },

    async write(pair, row, attempted, markAttempted) {
      try {
        if (attempted) {
          const existing = findOurs(await rc.backend.getTraceInfo(pair.traceId), pair.scorerId, pair.scorerVersion);
          if (existing) return { status: "written", assessment: stored(existing), found: true };
        } else markAttempted(); // durable before the request leaves: after a crash, the next attempt looks first
        return { status: "written", assessment: stored(await rc.backend.createAssessment(toAssessmentCreate(row))), found: false };
      } catch (e) {
        return writeFailure(e);
      }
    },

    onTrace(trace, scorerId, version) {
      const a = findOurs(trace.info, scorerId, version);
      return a ? stored(a) : undefined;
    },

    record(written) {
      if (written.length === 0) return;
      const now = rc.ctx.now();
      for (const { pair, assessment } of written) {
        recordScored(db(), {
          traceId: pair.traceId,
          scorerId: pair.scorerId,
          scorerVersion: pair.scorerVersion,
          experimentId: pair.experimentId,
          assessmentId: assessment.assessmentId,
          name: pair.scorerName,
          value: assessment.value,
          isError: assessment.error !== null,
          jobId: pair.jobId,
          at: now,
        });
      }
      const points = written.map(({ pair, assessment }) => ({
        assessmentId: assessment.assessmentId,
        traceId: pair.traceId,
        experimentId: pair.experimentId,
        scorerName: pair.scorerName,
        scorerId: pair.scorerId,
        scorerVersion: pair.scorerVersion,
        traceTimeMs: pair.traceTimeMs,
        value: assessment.value,
        error: assessment.error,
      }));
      addPoints(db(), points, now);
    },
  };
}
