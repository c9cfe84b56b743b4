import { z } from "zod";
import { requireIngest, requireRole, type VerbArgs } from "@/lib/core";
import { requireTraceRow } from "./trace-row";

export const LinkPromptsToTraceInput = z.object({
  trace_id: z.string().trim().min(1),
  prompt_versions: z.array(z.object({ name: z.string().min(1), version: z.union([z.string().min(1), z.number().int()]) })),
});
export type LinkPromptsToTraceInput = z.input<typeof LinkPromptsToTraceInput>;

/**
 * MLflow's LinkPromptsToTrace, which the Python exporter calls after each trace that used
 * registered prompts (tracing/export/utils.py try_link_prompts_to_trace). Vigil has no prompt
 * registry: the request is validated and accepted, and nothing is recorded.
 */
export function linkPromptsToTrace({ ctx, input }: VerbArgs<LinkPromptsToTraceInput>): Record<string, never> {
  const i = LinkPromptsToTraceInput.parse(input);
  const row = requireTraceRow(ctx.db, i.trace_id);
  // The exporter calls it with whatever token logged the trace, ingest tokens included.
  if (ctx.actor.role === "ingest") requireIngest(ctx.actor, row.experimentId);
  else requireRole(ctx.actor, "viewer", row.experimentId);
  return {};
}
