import { inArray } from "drizzle-orm";
import { z } from "zod";
import { runTraceLinks, traces } from "@/db/schema";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveRun } from "@/lib/runs/run-json";
import { repeatedString } from "@/lib/mlflow/proto-json";

// sqlalchemy_store.link_traces_to_run: MAX_TRACE_LINKS_PER_REQUEST.
const MAX_LINKS = 100;

export const LinkTracesToRunInput = z.object({
  trace_ids: repeatedString.default([]),
  run_id: z.string().trim().min(1, "Missing value for required parameter 'run_id'."),
});
export type LinkTracesToRunInput = z.input<typeof LinkTracesToRunInput>;

/**
 * MLflow's LinkTracesToRun (mlflow.genai.evaluate links the traces it evaluated to its run):
 * unknown trace ids are skipped, links already there are kept once. Searching with
 * `attribute.run_id = '<run>'` then finds linked traces as well as those the run created.
 */
export function linkTracesToRun({ ctx, input }: VerbArgs<LinkTracesToRunInput>): Record<string, never> {
  const i = LinkTracesToRunInput.parse(input);
  if (i.trace_ids.length > MAX_LINKS) {
    throw new InvalidParameterError(`Cannot link more than ${MAX_LINKS} traces to a run in a single request. Provided ${i.trace_ids.length} traces.`);
  }
  requireRole(ctx.actor, "operator");
  const run = requireActiveRun(ctx.db, i.run_id);
  requireRole(ctx.actor, "operator", run.experimentId);
  if (i.trace_ids.length === 0) return {};
  const found = ctx.db.select({ id: traces.traceId, exp: traces.experimentId }).from(traces).where(inArray(traces.traceId, i.trace_ids)).all();
  for (const t of found) requireRole(ctx.actor, "operator", t.exp);
  const now = ctx.now();
  if (found.length) {
    ctx.db
      .insert(runTraceLinks)
      .values(found.map((t) => ({ runId: i.run_id, traceId: t.id, createdAt: now })))
      .onConflictDoNothing()
      .run();
  }
  return {};
}
