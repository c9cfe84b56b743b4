import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { scorerVersions, scorers } from "@/db/schema/scorers";
import { InvalidParameterError, type VerbArgs } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { createDefaultAlertRules } from "@/lib/alerts/rule-store";
import { validateScorerName } from "@/scorers";
import { ROLE_FOR_ACTION } from "./lifecycle";
import type { Scorer } from "./scorer-value";
import { experimentIdField, findScorerRow, readScorer, requireWriter } from "./store";

export const RegisterScorerInput = z.object({
  experiment_id: experimentIdField,
  name: z.unknown(),
  serialized_scorer: z.string(),
});
export type RegisterScorerInput = z.input<typeof RegisterScorerInput>;

/** serialized_scorer must at least be a JSON object; whether Vigil can run it is shown, not enforced. */
export function checkSerialized(text: string): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvalidParameterError("Invalid value for parameter 'serialized_scorer': it is not valid JSON.");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InvalidParameterError("Invalid value for parameter 'serialized_scorer': it must be a JSON object.");
  }
}

/**
 * MLflow's RegisterScorer: registering a name appends a new version (append-only; the sampling
 * config, and so the status, is kept). A scorer Vigil cannot run (say a Python `call_source`) is
 * stored all the same and reads back as runnable=false with the reason.
 */
export function registerScorer({ ctx, input }: VerbArgs<RegisterScorerInput>): Scorer {
  const i = RegisterScorerInput.parse(input);
  const name = validateScorerName(i.name);
  checkSerialized(i.serialized_scorer);
  requireWriter(ctx, ROLE_FOR_ACTION.register, i.experiment_id);
  const now = ctx.now();
  return ctx.db.transaction(() => {
    let row = findScorerRow(ctx.db, i.experiment_id, name);
    // A scorer row exists only while it has versions (deleting the last one removes it).
    const previous = row ? readScorer(ctx.db, row) : undefined;
    if (!row) {
      row = { scorerId: randomUUID(), experimentId: i.experiment_id, name, createdAt: now, lastVersion: 0 };
      ctx.db.insert(scorers).values(row).run();
      // A new scorer starts with sensible alert rules (lib/alerts), editable afterwards.
      createDefaultAlertRules(ctx.db, i.experiment_id, name, now);
    }
    const version = row.lastVersion + 1;
    ctx.db.insert(scorerVersions).values({ scorerId: row.scorerId, version, serializedScorer: i.serialized_scorer, creationTime: now }).run();
    ctx.db.update(scorers).set({ lastVersion: version }).where(eq(scorers.scorerId, row.scorerId)).run();
    const value = readScorer(ctx.db, { ...row, lastVersion: version }, version);
    recordAudit(ctx, {
      action: "scorer.register",
      entityType: "scorer",
      entityId: row.scorerId,
      experimentId: i.experiment_id,
      before: previous ? { name, version: previous.version, status: previous.status } : undefined,
      after: { name, version, kind: value.kind, runnable: value.runnable, serialized_scorer: i.serialized_scorer },
    });
    return value;
  });
}
