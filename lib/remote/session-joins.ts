// How the trace scan meets sessions: each trace it takes that carries trace metadata
// mlflow.trace.session joins that session, in the intake transaction (lib/remote/source.ts).
import type { Join } from "@/lib/engine/sessions/session-table";
import { parseDuration } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { TRACE_SESSION_KEY } from "@/scorers";
import { traceTimeOf } from "./traffic";

/** The turns of a page of traces: each trace with session metadata joins at its end (or now, if that is earlier). */
export function sessionJoins(experimentId: number, infos: readonly TraceInfoV3[], now: number): Join[] {
  const out: Join[] = [];
  for (const info of infos) {
    const sessionId = info.trace_metadata?.[TRACE_SESSION_KEY];
    if (sessionId === undefined || sessionId === "") continue;
    const timeMs = traceTimeOf(info);
    const end = timeMs + (info.execution_duration ? (parseDuration(info.execution_duration) ?? 0) : 0);
    out.push({ experimentId, sessionId, timeMs, joinedAt: Math.min(end, now) });
  }
  return out;
}
