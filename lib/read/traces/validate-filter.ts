import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";

export const ValidateFilterInput = z.object({ filter: z.string().max(10_000) });
export type ValidateFilterInput = z.input<typeof ValidateFilterInput>;

/**
 * Checks a trace filter string with the same parser search and sampling use, so an input can
 * show the parser's own error (with its position) while the user types. Throws on invalid input.
 */
export function validateFilter({ ctx, input }: VerbArgs<ValidateFilterInput>): { clauses: number } {
  requireRole(ctx.actor, "viewer");
  const { filter } = ValidateFilterInput.parse(input);
  return { clauses: parseFilter(filter).clauses.length };
}
