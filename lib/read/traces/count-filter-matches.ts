// Before a scorer is saved: how many of the experiment's recent traces its filter would let
// through, so a typo that matches nothing (or everything) shows before any traffic is scored.
import { and, count, eq, gte, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { traces } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { compileFilterToSql, parseFilter, withFilterBudget } from "@/lib/mlflow/filter";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { tracesHeldByMlflow } from "@/lib/experiments/trace-home";

export const CountFilterMatchesInput = z.object({ experimentId: experimentIdString, filter: z.string().max(10_000) });
export const MATCH_WINDOW_MS = 24 * 3_600_000;

/** Complete traces of the last 24 h, and how many the filter matches; null for a remote experiment (its traces are on MLflow). */
export function countFilterMatches({
  ctx,
  input,
}: VerbArgs<z.input<typeof CountFilterMatchesInput>>): { matched: number; total: number; windowMs: number } | null {
  const i = CountFilterMatchesInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experimentId);
  const ast = parseFilter(i.filter); // a bad filter is the parser's 400
  if (tracesHeldByMlflow(ctx.db, i.experimentId)) return null;
  const recent = and(eq(traces.experimentId, i.experimentId), isNotNull(traces.completedAt), gte(traces.requestTime, ctx.now() - MATCH_WINDOW_MS));
  const total = ctx.db.select({ n: count() }).from(traces).where(recent).get()?.n ?? 0;
  // One filter evaluation, one scan budget: past it the preview answers 400 instead of pinning the web process.
  const matched =
    i.filter.trim() === ""
      ? total
      : withFilterBudget(
          () =>
            ctx.db
              .select({ n: count() })
              .from(traces)
              .where(and(recent, compileFilterToSql(ast)))
              .get()?.n ?? 0,
        );
  return { matched, total, windowMs: MATCH_WINDOW_MS };
}
