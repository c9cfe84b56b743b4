"use server";
// Server actions shared by every page of an experiment. Thin: ctx, one verb, errors mapped.
import { runAction, validateFilter, type ActionResult } from "@/lib/overview";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

/** The parser's verdict on a filter string, for inputs that validate as the user types. */
export async function validateFilterAction(filter: string): Promise<ActionResult<{ clauses: number }>> {
  const ctx = await getRequestCtx();
  return runAction(() => validateFilter({ ctx, input: { filter } }));
}
