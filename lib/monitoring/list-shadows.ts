import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { shadowRows, shadowValue, type ShadowVersion } from "./shadow-store";
import { experimentIdField, nameField, requireReader, requireScorerRow } from "./store";

export const ListShadowsInput = z.object({ experiment_id: experimentIdField, name: nameField });
export type ListShadowsInput = z.input<typeof ListShadowsInput>;

/** Every shadow the scorer has had (running, promoted, discarded), newest first. */
export function listShadows({ ctx, input }: VerbArgs<ListShadowsInput>): ShadowVersion[] {
  const i = ListShadowsInput.parse(input);
  requireReader(ctx, i.experiment_id);
  const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
  return shadowRows(ctx.db, row.scorerId).map((r) => shadowValue(row, r));
}
