import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { runs } from "@/db/schema";
import { NotFoundError, type VerbArgs } from "@/lib/core";
import { RunIdInput, jsonMap, writeActiveRun } from "./run-json";

export type DeleteRunTagInput = { run_id?: string; key?: string };

/** MLflow's DeleteTag: RESOURCE_DOES_NOT_EXIST when the run has no such tag. */
export function deleteRunTag({ ctx, input }: VerbArgs<DeleteRunTagInput>): Record<string, never> {
  const runId = RunIdInput.parse(input);
  const key = z.object({ key: z.string().min(1) }).parse(input).key;
  writeActiveRun(ctx, runId, (row) => {
    if (!(key in jsonMap<Record<string, string>>(row.tags, {}))) throw new NotFoundError(`No tag with name: ${key} in run with id ${runId}`);
    ctx.db
      .update(runs)
      .set({ tags: sql`json_remove(${runs.tags}, ${`$.${JSON.stringify(key)}`})` })
      .where(eq(runs.runId, runId))
      .run();
  });
  return {};
}
