"use server";
// Server actions shared by every page of an experiment. Thin: ctx, one verb, errors mapped.
import { countFilterMatches, runAction, validateFilter, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

/** The parser's verdict on a filter string, for inputs that validate as the user types. */
export async function validateFilterAction(filter: string): Promise<ActionResult<{ clauses: number }>> {
  const ctx = await getRequestCtx();
  return runAction(() => validateFilter({ ctx, input: { filter } }));
}

/** How many of the last 24 hours' traces a filter matches (null for a remote experiment). */
export async function countFilterMatchesAction(
  experimentId: string,
  filter: string,
): Promise<ActionResult<{ matched: number; total: number; windowMs: number } | null>> {
  const ctx = await getRequestCtx();
  return runAction(() => countFilterMatches({ ctx, input: { experimentId, filter } }));
}
