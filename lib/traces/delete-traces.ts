import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { idChunks } from "@/db/in-chunks";
import { assessments, spans, traces } from "@/db/schema";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { getExperimentRow } from "@/lib/experiments/experiment-json";
import { experimentIdString, int64, repeatedString } from "@/lib/mlflow/proto-json";

export const DeleteTracesInput = z.object({
  experiment_id: experimentIdString,
  max_timestamp_millis: int64.optional(),
  max_traces: int64.optional(),
  request_ids: repeatedString.optional(),
  // MLflow's Python client says trace_ids; the wire field is request_ids. Accept both.
  trace_ids: repeatedString.optional(),
});
export type DeleteTracesInput = z.input<typeof DeleteTracesInput>;

/**
 * MLflow's DeleteTracesV3: either every trace at or before max_timestamp_millis (oldest first,
 * at most max_traces), or the given ids. Spans and assessments go with their traces.
 */
export function deleteTraces({ ctx, input }: VerbArgs<DeleteTracesInput>): { traces_deleted: number } {
  const i = DeleteTracesInput.parse(input);
  requireRole(ctx.actor, "admin", i.experiment_id);
  getExperimentRow(ctx.db, i.experiment_id);
  const ids = [...(i.request_ids ?? []), ...(i.trace_ids ?? [])];
  const byTime = i.max_timestamp_millis !== undefined;
  if (byTime === ids.length > 0) {
    throw new InvalidParameterError("Specify either 'max_timestamp_millis' (with optional 'max_traces') or 'request_ids', not both and not neither.");
  }
  if (i.max_traces !== undefined && (i.max_traces < 1 || !byTime)) {
    throw new InvalidParameterError("'max_traces' must be a positive integer and is only valid with 'max_timestamp_millis'.");
  }

  return ctx.db.transaction(() => {
    const victims = byTime
      ? ctx.db
          .select({ id: traces.traceId })
          .from(traces)
          .where(and(eq(traces.experimentId, i.experiment_id), lte(traces.requestTime, i.max_timestamp_millis!)))
          .orderBy(asc(traces.requestTime), asc(traces.traceId))
          .limit(i.max_traces ?? -1)
          .all()
          .map((r) => r.id)
      : ctx.db
          .select({ id: traces.traceId })
          .from(traces)
          .where(and(eq(traces.experimentId, i.experiment_id), inArray(traces.traceId, ids)))
          .all()
          .map((r) => r.id);
    for (const chunk of idChunks(victims)) {
      ctx.db.delete(spans).where(inArray(spans.traceId, chunk)).run();
      ctx.db.delete(assessments).where(inArray(assessments.traceId, chunk)).run();
      ctx.db.delete(traces).where(inArray(traces.traceId, chunk)).run();
    }
    return { traces_deleted: victims.length };
  });
}
