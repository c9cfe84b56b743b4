import { inArray } from "drizzle-orm";
import { z } from "zod";
import { idChunks } from "@/db/in-chunks";
import { traces } from "@/db/schema";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { loadAssessmentsByTrace, traceInfoFromRow } from "@/lib/mlflow/convert";
import { repeatedString } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";

const MAX_BATCH = 1000;

export const BatchGetTraceInfosInput = z.object({ trace_ids: repeatedString });
export type BatchGetTraceInfosInput = z.input<typeof BatchGetTraceInfosInput>;

/**
 * MLflow's BatchGetTraceInfos (POST traces/batchGetInfos): trace infos without spans, in the
 * order asked; unknown ids are left out (sqlalchemy_store.batch_get_trace_infos). MLflow's client
 * calls it first to learn where each trace's spans live (tracing/client.py batch_get_traces).
 */
export function batchGetTraceInfos({ ctx, input }: VerbArgs<BatchGetTraceInfosInput>): { trace_infos: TraceInfoV3[] } {
  const ids = [...new Set(BatchGetTraceInfosInput.parse(input).trace_ids)];
  requireRole(ctx.actor, "viewer");
  if (ids.length > MAX_BATCH) throw new InvalidParameterError(`At most ${MAX_BATCH} trace ids may be fetched at once; got ${ids.length}.`);
  if (ids.length === 0) return { trace_infos: [] };
  const rows = [];
  for (const page of idChunks(ids)) rows.push(...ctx.db.select().from(traces).where(inArray(traces.traceId, page)).all());
  for (const r of rows) requireRole(ctx.actor, "viewer", r.experimentId);
  const byId = new Map(rows.map((r) => [r.traceId, r]));
  const assessments = loadAssessmentsByTrace(
    ctx.db,
    rows.map((r) => r.traceId),
  );
  return {
    trace_infos: ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [traceInfoFromRow(r, assessments.get(id) ?? [])] : [];
    }),
  };
}
