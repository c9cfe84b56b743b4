import { requireRole, type VerbArgs } from "@/lib/core";

/**
 * A trace whose root span never arrived (or never ended) counts as complete once no span has
 * arrived for the quiet period, so a lost root span cannot keep it from being scored forever.
 */
export function completeQuietTraces({ ctx, input }: VerbArgs<{ quietMs: number; limit?: number }>): number {
  requireRole(ctx.actor, "admin");
  const cutoff = ctx.now() - input.quietMs;
  const r = ctx.db.$client
    .prepare(
      `UPDATE traces SET completed_at = @now
       WHERE trace_id IN (SELECT trace_id FROM traces WHERE completed_at IS NULL AND last_span_at <= @cutoff LIMIT @limit)`,
    )
    .run({ now: ctx.now(), cutoff, limit: input.limit ?? 10_000 });
  return r.changes;
}
