import { inArray } from "drizzle-orm";
import { z } from "zod";
import { traces } from "@/db/schema";
import { InvalidParameterError, BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { loadAssessmentsByTrace, loadSpanRows, spanToOtelJson, traceInfoFromRow } from "@/lib/mlflow/convert";
import { experimentIdString, repeatedString } from "@/lib/mlflow/proto-json";
import type { TraceJson } from "./get-trace";

const MAX_BATCH = 100;

export const BatchGetTracesInput = z.object({
  trace_ids: repeatedString,
  experiment_ids: repeatedString.optional(),
});
export type BatchGetTracesInput = z.input<typeof BatchGetTracesInput>;

/**
 * MLflow's BatchGetTraces: full traces for the ids that exist (unknown ids are left out, as in
 * MLflow), in the order asked, optionally limited to some experiments.
 */
export function batchGetTraces({ ctx, input }: VerbArgs<BatchGetTracesInput>): { traces: TraceJson[] } {
  const i = BatchGetTracesInput.parse(input);
  requireRole(ctx.actor, "viewer", BEFORE_LOOKUP);
  const ids = [...new Set(i.trace_ids)];
  if (ids.length === 0) throw new InvalidParameterError("Specify at least one trace id in 'trace_ids'.");
  if (ids.length > MAX_BATCH) throw new InvalidParameterError(`At most ${MAX_BATCH} trace ids may be fetched at once; got ${ids.length}.`);
  const scope = i.experiment_ids ? new Set(i.experiment_ids.map((e) => experimentIdString.parse(e))) : null;
  const rows = ctx.db
    .select()
    .from(traces)
    .where(inArray(traces.traceId, ids))
    .all()
    .filter((r) => !scope || scope.has(r.experimentId));
  for (const r of rows) requireRole(ctx.actor, "viewer", r.experimentId);
  const byId = new Map(rows.map((r) => [r.traceId, r]));
  const assessments = loadAssessmentsByTrace(
    ctx.db,
    rows.map((r) => r.traceId),
  );
  const out: TraceJson[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    out.push({ trace_info: traceInfoFromRow(row, assessments.get(id) ?? []), spans: loadSpanRows(ctx.db, id).map(spanToOtelJson) });
  }
  return { traces: out };
}
