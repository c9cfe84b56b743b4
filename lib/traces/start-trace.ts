import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { traces, traceStates } from "@/db/schema";
import { InvalidParameterError, isTimeMs, requireIngest, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { ARTIFACT_LOCATION_TAG, traceArtifactLocation } from "./spans-location";
import { truncate } from "@/lib/ingest/previews";
import { loadAssessmentsByTrace, traceInfoFromRow } from "@/lib/mlflow/convert";
import { experimentIdString, int64, parseDuration, parseRfc3339 } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { requireTraceRow } from "./trace-row";
import { SOURCE_RUN_ID_KEY } from "@/lib/engine/outcomes";

const timestamp = z.union([z.string(), int64]).transform((v, c) => {
  const ms = typeof v === "number" ? v : parseRfc3339(v);
  if (ms === null || !isTimeMs(ms)) {
    c.addIssue({ code: "custom", message: "must be an RFC 3339 timestamp such as 2025-01-31T12:00:00.000Z" });
    return z.NEVER;
  }
  return ms;
});

const duration = z.string().transform((v, c) => {
  const ms = parseDuration(v);
  if (ms === null || ms < 0) {
    c.addIssue({ code: "custom", message: 'must be a protobuf Duration such as "1.840s"' });
    return z.NEVER;
  }
  return ms;
});

export const TraceInfoInput = z.object({
  trace_id: z.string().trim().min(1).max(256),
  client_request_id: z.string().optional(),
  trace_location: z.object({
    type: z.literal("MLFLOW_EXPERIMENT", { message: "only MLFLOW_EXPERIMENT trace locations are supported" }).optional(),
    mlflow_experiment: z.object({ experiment_id: experimentIdString }),
  }),
  request: z.string().optional(),
  response: z.string().optional(),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: timestamp,
  execution_duration: duration.optional(),
  state: z.enum(traceStates).optional(),
  trace_metadata: z.record(z.string(), z.string()).default({}),
  tags: z.record(z.string(), z.string()).default({}),
  // Assessments travel inside TraceInfoV3 but are created through their own endpoint.
  assessments: z.array(z.unknown()).optional(),
});

export const StartTraceInput = z.object({ trace: z.object({ trace_info: TraceInfoInput }) });
export type StartTraceInput = z.input<typeof StartTraceInput>;

const SOURCE_RUN = "mlflow.sourceRun";

/** Full request/response text as stored: JSON text (a non-JSON string is stored as a JSON string). */
const asJsonText = (v: string | undefined) => {
  if (v === undefined) return undefined;
  try {
    JSON.parse(v);
    return v;
  } catch {
    return JSON.stringify(v);
  }
};

/**
 * MLflow's StartTraceV3, for clients that log trace info apart from spans: creates the trace or
 * overwrites the fields it sends. Metadata and tags are merged so values derived from spans stay.
 */
export function startTrace({ ctx, input }: VerbArgs<StartTraceInput>): { trace: { trace_info: TraceInfoV3 } } {
  const info = StartTraceInput.parse(input).trace.trace_info;
  const experimentId = info.trace_location.mlflow_experiment.experiment_id;
  requireIngest(ctx.actor, experimentId);
  requireActiveExperiment(ctx.db, experimentId);
  // MLflow's server tags every started trace with where its trace data artifact lives
  // (sqlalchemy_store.start_trace, _get_trace_artifact_location_tag); clients upload traces.json there.
  const tags = { ...info.tags, [ARTIFACT_LOCATION_TAG]: traceArtifactLocation(experimentId, info.trace_id) };
  const now = ctx.now();
  const ended = info.state === "OK" || info.state === "ERROR";
  const duration = info.execution_duration ?? null;
  const requestPreview = info.request_preview ?? (info.request !== undefined ? truncate(info.request) : undefined);
  const responsePreview = info.response_preview ?? (info.response !== undefined ? truncate(info.response) : undefined);
  const fields = {
    clientRequestId: info.client_request_id,
    requestTime: info.request_time,
    executionDurationMs: duration ?? undefined,
    endTimeMs: duration === null ? undefined : info.request_time + duration,
    state: info.state,
    requestPreview,
    responsePreview,
    request: asJsonText(info.request),
    response: asJsonText(info.response),
  };

  ctx.db.transaction(() => {
    // MLflow's Python exporter logs spans (/v1/traces) before StartTraceV3, so an evaluation
    // run's trace may already be complete, queued or even scored online when its
    // mlflow.sourceRun lands. Its online work goes in this transaction: the outbox row, the
    // queued pairs (an in-flight write then finds its task gone) and online scores already
    // written (jobs' carry their run id; metric points follow the assessments' triggers).
    if (info.trace_metadata[SOURCE_RUN] !== undefined) {
      const db = ctx.db.$client;
      db.prepare("DELETE FROM engine_completions WHERE trace_id = ?").run(info.trace_id);
      db.prepare("DELETE FROM engine_tasks WHERE trace_id = ? AND job_id IS NULL").run(info.trace_id);
      db.prepare(`DELETE FROM assessments WHERE trace_id = ? AND scorer_id IS NOT NULL AND json_extract(metadata, '$."${SOURCE_RUN_ID_KEY}"') IS NULL`).run(
        info.trace_id,
      );
    }
    const existing = ctx.db.select({ experimentId: traces.experimentId }).from(traces).where(eq(traces.traceId, info.trace_id)).get();
    if (existing && existing.experimentId !== experimentId) {
      throw new InvalidParameterError(`Trace '${info.trace_id}' already belongs to experiment ${existing.experimentId}.`);
    }
    if (!existing) {
      ctx.db
        .insert(traces)
        .values({
          traceId: info.trace_id,
          experimentId,
          ...fields,
          state: info.state ?? "STATE_UNSPECIFIED",
          traceMetadata: JSON.stringify(info.trace_metadata),
          tags: JSON.stringify(tags),
          completedAt: ended ? now : null,
          lastSpanAt: now,
        })
        .run();
      return;
    }
    ctx.db
      .update(traces)
      .set({
        ...fields,
        traceMetadata: sql`json_patch(${traces.traceMetadata}, ${JSON.stringify(info.trace_metadata)})`,
        // An ingest token may add tags to its trace but not rewrite the ones set (tags are for
        // people and operators: setTraceTag needs operator); its values lose to stored ones.
        tags: ctx.actor.role === "ingest" ? sql`json_patch(${JSON.stringify(tags)}, ${traces.tags})` : sql`json_patch(${traces.tags}, ${JSON.stringify(tags)})`,
        // A finished trace is complete for scoring; the first completion time is kept.
        completedAt: ended ? sql`COALESCE(${traces.completedAt}, ${now})` : undefined,
      })
      .where(eq(traces.traceId, info.trace_id))
      .run();
  });

  const row = requireTraceRow(ctx.db, info.trace_id);
  const assessments = loadAssessmentsByTrace(ctx.db, [row.traceId]).get(row.traceId) ?? [];
  return { trace: { trace_info: traceInfoFromRow(row, assessments) } };
}
