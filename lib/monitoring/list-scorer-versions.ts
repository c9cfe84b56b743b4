import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import type { Scorer } from "./scorer-value";
import { experimentIdField, nameField, readVersions, requireReader, requireScorerRow } from "./store";

export const ListScorerVersionsInput = z.object({ experiment_id: experimentIdField, name: nameField });
export type ListScorerVersionsInput = z.input<typeof ListScorerVersionsInput>;

/** MLflow's ListScorerVersions: every version, oldest first, each with the scorer's sampling config. */
export function listScorerVersions({ ctx, input }: VerbArgs<ListScorerVersionsInput>): Scorer[] {
  const i = ListScorerVersionsInput.parse(input);
  requireReader(ctx, i.experiment_id);
  return readVersions(ctx.db, requireScorerRow(ctx.db, i.experiment_id, i.name));
}
