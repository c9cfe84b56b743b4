import { eq } from "drizzle-orm";
import { z } from "zod";
import { traces } from "@/db/schema";
import { NotFoundError, BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { parseTags, requireTraceRow } from "./trace-row";

export const DeleteTraceTagInput = z.object({ trace_id: z.string().min(1), key: z.string().min(1) });
export type DeleteTraceTagInput = z.input<typeof DeleteTraceTagInput>;

/** MLflow's DeleteTraceTagV3; deleting a tag the trace does not have is RESOURCE_DOES_NOT_EXIST. */
export function deleteTraceTag({ ctx, input }: VerbArgs<DeleteTraceTagInput>): Record<string, never> {
  const i = DeleteTraceTagInput.parse(input);
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  const row = requireTraceRow(ctx.db, i.trace_id);
  requireRole(ctx.actor, "operator", row.experimentId);
  ctx.db.transaction(() => {
    const tags = parseTags(requireTraceRow(ctx.db, i.trace_id).tags);
    if (!Object.hasOwn(tags, i.key)) throw new NotFoundError(`No trace tag with key '${i.key}' for trace with ID '${i.trace_id}'`);
    delete tags[i.key];
    ctx.db
      .update(traces)
      .set({ tags: JSON.stringify(tags) })
      .where(eq(traces.traceId, i.trace_id))
      .run();
  });
  return {};
}
