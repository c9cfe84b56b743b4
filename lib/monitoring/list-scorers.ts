import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { scorers } from "@/db/schema/scorers";
import type { VerbArgs } from "@/lib/core";
import type { Scorer } from "./scorer-value";
import { experimentIdField, readScorer, requireReader } from "./store";

export const ListScorersInput = z.object({ experiment_id: experimentIdField });
export type ListScorersInput = z.input<typeof ListScorersInput>;

/** MLflow's ListScorers: the latest version of every scorer in the experiment, by name. */
export function listScorers({ ctx, input }: VerbArgs<ListScorersInput>): Scorer[] {
  const i = ListScorersInput.parse(input);
  requireReader(ctx, i.experiment_id);
  const rows = ctx.db.select().from(scorers).where(eq(scorers.experimentId, i.experiment_id)).orderBy(asc(scorers.name)).all();
  return rows.map((row) => readScorer(ctx.db, row));
}
