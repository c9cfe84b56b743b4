import { z } from "zod";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { samplingScorers } from "../scorer-set";
import { checkWindow, jobScorer, requireRunnableScorers, timeMs, type JobParams, type SamplingEntry } from "./job-params";
import { checkRescore } from "./create-assess-job";
import { countSelection } from "./job-selection";
import { queueJob } from "./queue-job";

const rate = z.number().gt(0, "sample_rate must be above 0").max(1, "sample_rate must be at most 1");

export const CreateBackfillJobInput = z.strictObject({
  experiment_id: experimentIdString,
  scorers: z
    .array(z.union([z.string().min(1, "a scorer name must not be empty"), z.strictObject({ name: z.string().min(1), sample_rate: rate.optional() })]))
    .min(1, "name at least one scorer")
    .max(50),
  /** Only traces matching this MLflow filter (on top of each scorer's own filter). */
  filter_string: z.string().max(10_000).optional(),
  start_time_ms: timeMs.optional(),
  end_time_ms: timeMs.optional(),
  /** Score again: traces the same scorer version already scored get a new assessment that overrides the older one. */
  rescore: z.boolean().optional(),
});
export type CreateBackfillJobInput = z.input<typeof CreateBackfillJobInput>;

export const DEFAULT_BACKFILL_DAYS = 7;

/**
 * Backfill (MLflow's backfill_scorers): registered scorers over a past window, default the last
 * 7 days. Sampling is online scoring's, decided over every scorer that samples in the
 * experiment, so a backfill picks the very traces online scoring would have; a scorer given its
 * own sample_rate is sampled densely at that rate instead.
 */
export function createBackfillJob({ ctx, input }: VerbArgs<CreateBackfillJobInput>): { job_id: string } {
  const i = CreateBackfillJobInput.parse(input);
  requireRole(ctx.actor, "admin", i.experiment_id);
  const now = ctx.now();
  const entries = i.scorers.map((s) => (typeof s === "string" ? { name: s, sample_rate: undefined } : s));
  const filterString = i.filter_string?.trim() ? i.filter_string : null;
  if (filterString) parseFilter(filterString); // a bad filter is a 400 with the parser's message
  const scorers = requireRunnableScorers(
    ctx.db,
    i.experiment_id,
    entries.map((s) => s.name),
  );
  const startMs = i.start_time_ms ?? (i.end_time_ms ?? now) - DEFAULT_BACKFILL_DAYS * 86_400_000;
  const endMs = i.end_time_ms ?? now + 1;
  checkWindow(startMs, endMs);
  checkRescore(ctx.db, i.experiment_id, i.rescore);

  // The sampling set: scorers sampling online now, with the job's own rates laid over them.
  const sampling = new Map<string, SamplingEntry>(
    [...samplingScorers(ctx.db, i.experiment_id), ...samplingScorers(ctx.db, i.experiment_id, "session")].map((s) => [
      s.name,
      { name: s.name, sampleRate: s.sampleRate, filterString: s.filterString, ...(s.sessionLevel ? { session: true } : {}) },
    ]),
  );
  for (const [k, e] of entries.entries()) {
    const s = scorers[k]!;
    if (e.sample_rate !== undefined)
      sampling.set(s.name, { name: s.name, sampleRate: e.sample_rate, filterString: s.filterString, ...(s.sessionLevel ? { session: true } : {}) });
    else if (!(s.sampleRate > 0)) {
      throw new InvalidParameterError(`Scorer '${s.name}' is not started (sample rate 0), so there is no online rate to backfill with; give it a sample_rate.`);
    }
  }
  const params: JobParams = {
    scorers: scorers.map(jobScorer),
    sampling: [...sampling.values()],
    filterString,
    startMs,
    endMs,
    ...(i.rescore ? { rescore: true } : {}),
  };
  const tracesTotal = countSelection(ctx.db, "backfill", i.experiment_id, params);
  const jobId = queueJob(
    ctx,
    { kind: "backfill", experimentId: i.experiment_id, params, tracesTotal },
    { scorers: i.scorers, start_time_ms: startMs, end_time_ms: endMs, filter_string: filterString, traces: tracesTotal, rescore: i.rescore ?? false },
  );
  return { job_id: jobId };
}
