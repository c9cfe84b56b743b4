import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { runs, runStatuses } from "@/db/schema";
import type { VerbArgs } from "@/lib/core";
import { int64 } from "@/lib/mlflow/proto-json";
import { RUN_NAME_TAG, RunIdInput, writeActiveRun, requireRunRow, runInfoFromRow, type RunInfoJson } from "./run-json";

const Fields = z.object({ status: z.enum(runStatuses).optional(), end_time: int64.optional(), run_name: z.string().max(250).optional() });
export type UpdateRunInput = z.input<typeof Fields> & { run_id?: string; run_uuid?: string };

/** MLflow's UpdateRun (set_terminated at the end of mlflow.start_run's block): status, end time, name. */
export function updateRun({ ctx, input }: VerbArgs<UpdateRunInput>): { run_info: RunInfoJson } {
  const runId = RunIdInput.parse(input);
  const f = Fields.parse(input);
  writeActiveRun(ctx, runId, () => {
    ctx.db
      .update(runs)
      .set({
        status: f.status,
        endTime: f.end_time,
        runName: f.run_name || undefined,
        tags: f.run_name ? sql`json_set(${runs.tags}, ${`$."${RUN_NAME_TAG}"`}, ${f.run_name})` : undefined,
      })
      .where(eq(runs.runId, runId))
      .run();
  });
  return { run_info: runInfoFromRow(requireRunRow(ctx.db, runId)) };
}
