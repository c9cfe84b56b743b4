import { eq } from "drizzle-orm";
import { z } from "zod";
import { runs } from "@/db/schema";
import { InvalidParameterError, type VerbArgs } from "@/lib/core";
import { RUN_NAME_TAG, RunIdInput, jsonMap, writeActiveRun } from "./run-json";
import { MetricInput, ParamInput, TagInput, isLater } from "./run-values";

// MLflow's LogBatch limits (utils/validation.py MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH, MAX_ENTITIES_PER_BATCH).
const Batch = z.object({
  metrics: z.array(MetricInput).max(1000).default([]),
  params: z.array(ParamInput).max(100).default([]),
  tags: z.array(TagInput).max(100).default([]),
});
export type LogBatchInput = z.input<typeof Batch> & { run_id?: string; run_uuid?: string };

type Latest = Record<string, { value: number; timestamp: number; step: number }>;

/**
 * MLflow's LogBatch, the write behind log_metrics / log_params / set_tags (mlflow.genai.evaluate
 * logs its aggregated metrics this way). Params are immutable: logging another value is refused.
 * All or nothing, in one transaction.
 */
export function logBatch({ ctx, input }: VerbArgs<LogBatchInput>): Record<string, never> {
  const runId = RunIdInput.parse(input);
  const b = Batch.parse(input);
  if (b.metrics.length + b.params.length + b.tags.length > 1000)
    throw new InvalidParameterError("A batch logging request can contain at most 1000 metrics, params and tags in total.");
  writeActiveRun(ctx, runId, (row) => {
    const params = jsonMap<Record<string, string>>(row.params, {});
    for (const p of b.params) {
      const had = params[p.key];
      if (had !== undefined && had !== p.value) {
        throw new InvalidParameterError(
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${had}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        );
      }
      params[p.key] = p.value;
    }
    const metrics = jsonMap<Latest>(row.metrics, {});
    for (const m of b.metrics) {
      const cur = metrics[m.key];
      if (!cur || isLater(m, cur)) metrics[m.key] = { value: m.value, timestamp: m.timestamp, step: m.step };
    }
    const tags = jsonMap<Record<string, string>>(row.tags, {});
    for (const t of b.tags) tags[t.key] = t.value;
    ctx.db
      .update(runs)
      .set({
        params: JSON.stringify(params),
        // NaN and the infinities have no JSON form; MLflow answers them as the protobuf strings.
        metrics: JSON.stringify(metrics, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)),
        tags: JSON.stringify(tags),
        runName: tags[RUN_NAME_TAG] ?? row.runName,
      })
      .where(eq(runs.runId, runId))
      .run();
  });
  return {};
}

/** LogMetric, LogParam and SetTag: one-entry batches. */
export const logMetric = ({ ctx, input }: VerbArgs<Record<string, unknown>>) =>
  logBatch({ ctx, input: { run_id: input.run_id as string, run_uuid: input.run_uuid as string, metrics: [input as z.input<typeof MetricInput>] } });
export const logParam = ({ ctx, input }: VerbArgs<Record<string, unknown>>) =>
  logBatch({ ctx, input: { run_id: input.run_id as string, run_uuid: input.run_uuid as string, params: [input as z.input<typeof ParamInput>] } });
export const setRunTag = ({ ctx, input }: VerbArgs<Record<string, unknown>>) =>
  logBatch({ ctx, input: { run_id: input.run_id as string, run_uuid: input.run_uuid as string, tags: [input as z.input<typeof TagInput>] } });
