// The MLflow-REST store's session ports. Sessions are met as the trace scan reads each linked
// experiment's traces (source.ts joins each turn to engine_sessions in the intake transaction, as
// the embedded store's triggers do), so each turn joins once and no extra scan is needed. A
// session's turns are read as MLflow's session processor reads them: trace search on
// metadata.`mlflow.trace.session`, evaluation-run traces left out, every page. The verdict goes on
// the session's first trace with MLflow's session metadata, exactly once by its markers, and
// overrides the older verdict there (MLflow marks that one valid = false), so MLflow's UI shows
// the current one; the ledger and the read models are written after, in the engine's transaction.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";
import { InvalidParameterError, UpstreamUnavailableError } from "@/lib/core";
import { parseRfc3339 } from "@/lib/core/time";
import { SHADOW_KEY, type AssessmentInsert } from "@/lib/engine/outcomes";
import type { SinkWrite } from "@/lib/engine/ports";
import { SESSION_TURNS_KEY_KEY, type RemoteSessionSink, type SessionPorts, type SessionScore } from "@/lib/engine/sessions";
import { consumeSessions, dueSessions, recordSessionScore, sessionScored, sessionVerdicts, type VerdictLine } from "@/lib/engine/sessions/session-table";
import { addPoints } from "@/lib/metrics/add-points";
import { recomputeRollups, type RollupKey } from "@/lib/metrics/refresh-points";
import type { Assessment, TraceData, TraceInfoV3 } from "@/lib/mlflow/types";
import { ONLINE_SESSION_ID_KEY, TRACE_SESSION_KEY } from "@/scorers";
import { markerOf } from "./assessment-markers";
import { recordScored } from "./ledger";
import { findLink } from "./links";
import type { RemoteCtx } from "./remote-ctx";
import { loadRemoteTraces, ORDER, stillOpen, traceTimeOf } from "./source";
import { stored, toAssessmentCreate, writeFailure } from "./sink";

const quoteFor = (v: string): string | null => (!v.includes("'") ? "'" : !v.includes('"') ? '"' : null);

/** Whether MLflow's search can select the session (not: recorded as skipped, session_id_unsearchable). */
export const searchable = (sessionId: string): boolean => quoteFor(sessionId) !== null;

/**
 * MLflow's filter for one session's monitored traces. A value is quoted with a quote it does not
 * contain (MLflow's parser has no escape); an id with both quotes cannot be searched for.
 */
export function sessionFilter(sessionId: string): string {
  const q = quoteFor(sessionId);
  if (q === null)
    throw new InvalidParameterError(`Session id ${JSON.stringify(sessionId.slice(0, 80))} holds both quote characters: MLflow's search cannot select it.`);
  return `metadata.\`${TRACE_SESSION_KEY}\` = ${q}${sessionId}${q} AND metadata.\`mlflow.sourceRun\` IS NULL`;
}

/** Vigil's verdict on this trace for exactly this scorer version and set of turns. */
export function findSessionVerdict(info: Pick<TraceInfoV3, "assessments">, scorerId: string, version: number, turnsKey: string): Assessment | undefined {
  return (info.assessments ?? []).find((a) => {
    const m = markerOf(a);
    return m !== null && m.scorerId === scorerId && m.version === version && a.metadata?.[SESSION_TURNS_KEY_KEY] === turnsKey;
  });
}

/**
 * The session's latest valid verdict of the scorer on this trace that a new verdict of this line
 * overrides: a shadow's overrides its own version's only; a live version's, any made live (not
 * marked as a shadow's) or its own version's.
 */
export function verdictToOverride(info: Pick<TraceInfoV3, "assessments">, sessionId: string, scorerId: string, line: VerdictLine): Assessment | undefined {
  const inLine = (a: Assessment) => {
    const m = markerOf(a);
    return m !== null && m.scorerId === scorerId && (m.version === line.scorerVersion || (!line.shadow && a.metadata?.[SHADOW_KEY] !== "true"));
  };
  const mine = (info.assessments ?? []).filter((a) => a.valid !== false && a.metadata?.[ONLINE_SESSION_ID_KEY] === sessionId && inLine(a));
  const at = (a: Assessment) => parseRfc3339(a.create_time) ?? 0;
  return mine.sort((a, b) => at(b) - at(a))[0];
}

export function remoteSessions(rc: RemoteCtx): SessionPorts {
  const db = (): Database.Database => rc.ctx.db.$client;

  const loadTraces = (ids: readonly string[]) => loadRemoteTraces(rc, ids);

  /** The older verdict left on another trace (the session's first turn changed): MLflow overrides only within a trace, so it is marked invalid. */
  async function invalidateElsewhere(row: AssessmentInsert, score: SessionScore): Promise<void> {
    const sessionId = score.sessionId;
    const latest = sessionVerdicts(db(), row.experimentId, sessionId, row.scorerId, score)[0];
    if (!latest || latest.traceId === row.traceId) return;
    try {
      await rc.backend.updateAssessment(latest.traceId, latest.assessmentId, { valid: false }, ["valid"]);
    } catch (e) {
      if (e instanceof UpstreamUnavailableError) throw e;
      // Gone or refused: the ledger's current verdict still moves to the new one.
      rc.log(`could not mark the older verdict ${latest.assessmentId} of session ${sessionId} invalid: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const sink: RemoteSessionSink = {
    atomic: false,
    scored: async (s) => sessionScored(db(), s),

    async write(row, score, attempted, markAttempted): Promise<SinkWrite> {
      try {
        // Always looked up first: the older verdict to override is on the trace too.
        const info = await rc.backend.getTraceInfo(row.traceId);
        const mine = findSessionVerdict(info, score.scorerId, score.scorerVersion, score.turnsKey);
        let written: Assessment;
        if (mine) written = mine;
        else {
          const older = verdictToOverride(info, score.sessionId, score.scorerId, score);
          if (!attempted) markAttempted(); // durable before the request leaves: after a crash, the next attempt looks first
          written = await rc.backend.createAssessment({ ...toAssessmentCreate(row), ...(older ? { overrides: older.assessment_id } : {}) });
        }
        await invalidateElsewhere(row, score);
        return { status: "written", assessment: stored(written), found: mine !== undefined };
      } catch (e) {
        return writeFailure(e);
      }
    },

    record(row, score, assessment) {
      const now = rc.ctx.now();
      const older = sessionVerdicts(db(), row.experimentId, score.sessionId, row.scorerId, score).filter((v) => v.assessmentId !== assessment.assessmentId);
      if (!recordSessionScore(db(), score, assessment.assessmentId, row.traceId, now)) return false;
      // Read models count the current verdict only: the superseded ones leave remote_scored and the trends.
      const keys: RollupKey[] = [];
      for (const v of older) {
        cachedStatement(db(), "DELETE FROM remote_scored WHERE assessment_id = ?").run(v.assessmentId);
        const gone = cachedStatement(
          db(),
          "DELETE FROM metric_points WHERE assessment_id = ? RETURNING experiment_id AS experimentId, scorer_name AS scorerName, scorer_version AS scorerVersion, bucket_start AS bucketStart",
        ).all(v.assessmentId) as RollupKey[];
        keys.push(...gone);
      }
      recomputeRollups(db(), keys, now);
      recordScored(db(), {
        traceId: row.traceId,
        scorerId: row.scorerId,
        scorerVersion: row.scorerVersion,
        experimentId: row.experimentId,
        assessmentId: assessment.assessmentId,
        name: row.name,
        value: assessment.value,
        isError: assessment.error !== null,
        jobId: score.jobId,
        at: now,
      });
      addPoints(
        db(),
        [
          {
            assessmentId: assessment.assessmentId,
            traceId: row.traceId,
            experimentId: row.experimentId,
            scorerName: row.name,
            scorerId: row.scorerId,
            scorerVersion: row.scorerVersion,
            traceTimeMs: score.timeMs,
            value: assessment.value,
            error: assessment.error,
          },
        ],
        now,
      );
      return true;
    },
  };

  return {
    source: {
      duePage: async (limit, cutoff) =>
        dueSessions(db(), limit, cutoff).map((d) => (searchable(d.sessionId) ? d : { ...d, skipReason: d.skipReason ?? "session_id_unsearchable" })),
      consume: (sessions, now) => consumeSessions(db(), sessions, now),
      async turnRefs(experimentId, sessionId) {
        const link = findLink(db(), experimentId);
        if (!link) return [];
        const now = rc.ctx.now();
        const q = { experimentIds: [link.remote_experiment_id], filter: sessionFilter(sessionId), orderBy: ORDER, maxResults: rc.pageSize };
        const refs: { traceId: string; timeMs: number }[] = [];
        let token: string | undefined;
        do {
          const page = await rc.backend.searchTraces({ ...q, ...(token ? { pageToken: token } : {}) });
          for (const info of page.traces)
            if (!stillOpen(info, now, rc.ctx.config.VIGIL_TRACE_QUIET_MS)) refs.push({ traceId: info.trace_id, timeMs: traceTimeOf(info) });
          token = page.nextPageToken;
        } while (token);
        return refs.sort((a, b) => a.timeMs - b.timeMs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
      },
      async sessionsOf(_experimentId, traceIds) {
        const out = new Map<string, string>();
        for (const [id, t] of await loadTraces(traceIds)) {
          const sid = t.info.trace_metadata?.[TRACE_SESSION_KEY];
          if (sid) out.set(id, sid);
        }
        return out;
      },
      loadTraces,
    },
    sink,
  };
}
