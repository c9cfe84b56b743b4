import { InvalidParameterError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { loadSpanRows } from "@/lib/mlflow/convert";
import { writeTraceData } from "@/lib/mlflow/trace-data";
import { parseTraceArtifactPath } from "./trace-artifact-path";
import { requireTraceRow } from "./trace-row";

function parse<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * GET of a trace's traces.json through MLflow's artifact proxy, built from the stored spans
 * whichever way they arrived (MLflow's TypeScript SDK always reads spans this way).
 */
export function downloadTraceData({ ctx, input }: VerbArgs<{ path: string[] }>): string {
  const { experimentId, traceId } = parseTraceArtifactPath(input.path);
  requireRole(ctx.actor, "viewer", experimentId);
  const row = requireTraceRow(ctx.db, traceId);
  if (row.experimentId !== experimentId) throw new InvalidParameterError(`Trace '${traceId}' belongs to experiment ${row.experimentId}, not ${experimentId}.`);
  const spans = loadSpanRows(ctx.db, traceId);
  if (spans.length === 0) throw new NotFoundError(`Trace '${traceId}' has no trace data (no spans were logged).`);
  return writeTraceData(
    spans.map((s) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      startTimeNs: s.startTimeNs,
      endTimeNs: s.endTimeNs,
      statusCode: s.statusCode,
      statusMessage: s.statusMessage,
      attributes: parse<Record<string, unknown>>(s.attributes, {}),
      events: parse(s.events, []),
    })),
  );
}
