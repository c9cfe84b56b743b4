import { eq } from "drizzle-orm";
import { z } from "zod";
import { traces } from "@/db/schema";
import { BEFORE_LOOKUP, requireRole, type VerbArgs } from "@/lib/core";
import { parseTags, requireTraceRow } from "./trace-row";

export const SetTraceTagInput = z.object({
  trace_id: z.string().min(1),
  key: z.string().min(1).max(250),
  value: z.string().default(""),
});
export type SetTraceTagInput = z.input<typeof SetTraceTagInput>;

/** MLflow's SetTraceTagV3: tags are mutable; setting a key again overwrites it. */
export function setTraceTag({ ctx, input }: VerbArgs<SetTraceTagInput>): Record<string, never> {
  const i = SetTraceTagInput.parse(input);
  requireRole(ctx.actor, "operator", BEFORE_LOOKUP);
  const row = requireTraceRow(ctx.db, i.trace_id);
  requireRole(ctx.actor, "operator", row.experimentId);
  // Read-modify-write in JS: any key works, however it is spelled (dots, quotes, brackets).
  ctx.db.transaction(() => {
    const tags = parseTags(requireTraceRow(ctx.db, i.trace_id).tags);
    tags[i.key] = i.value;
    ctx.db
      .update(traces)
      .set({ tags: JSON.stringify(tags) })
      .where(eq(traces.traceId, i.trace_id))
      .run();
  });
  return {};
}
