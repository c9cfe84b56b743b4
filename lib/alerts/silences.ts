// Silences: no notification for a rule or a scorer until an end time, with a reason. Alerts
// still change state underneath (the alerts page shows them), only the pages are held back.
import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alertSilences } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { InvalidParameterError, NotFoundError, requireRole, type VerbArgs } from "@/lib/core";
import { getExperimentRow, requireActiveExperiment } from "@/lib/experiments";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { parseDurationText } from "./rule-params";
import { requireRule, type RuleRow } from "./rule-store";

export type SilenceRow = typeof alertSilences.$inferSelect;

export function activeSilences(db: Db, now: number): SilenceRow[] {
  return db.$client
    .prepare(
      "SELECT silence_id AS silenceId, experiment_id AS experimentId, rule_id AS ruleId, scorer_name AS scorerName, starts_at AS startsAt, ends_at AS endsAt, reason, created_by AS createdBy, created_at AS createdAt, cancelled_at AS cancelledAt FROM alert_silences WHERE cancelled_at IS NULL AND starts_at <= ? AND ends_at > ?",
    )
    .all(now, now) as SilenceRow[];
}

/** A silence holds a rule's alerts, or every alert about one scorer of the experiment. */
export const isSilenced = (silences: readonly SilenceRow[], rule: Pick<RuleRow, "ruleId" | "experimentId">, scorerName: string | null) =>
  silences.some(
    (s) =>
      s.experimentId === rule.experimentId &&
      ((s.ruleId !== null && s.ruleId === rule.ruleId) || (s.ruleId === null && s.scorerName !== null && s.scorerName === scorerName)),
  );

export const CreateSilenceInput = z
  .object({
    experiment_id: experimentIdString,
    rule_id: z.string().min(1).optional(),
    scorer: z.string().trim().min(1).optional(),
    /** An end time (ms since epoch) or a duration from now ("2h"). */
    ends_at: z.number().int().positive().optional(),
    duration: z.union([z.string(), z.number()]).optional(),
    reason: z.string().trim().min(1, "is required: say why the alerts are held").max(500),
  })
  .strict();
export type CreateSilenceInput = z.input<typeof CreateSilenceInput>;

const MAX_SILENCE_MS = 30 * 86_400_000;

export interface SilenceJson {
  silence_id: string;
  experiment_id: string;
  rule_id: string | null;
  scorer: string | null;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  cancelled_at: number | null;
}

const silenceJson = (s: SilenceRow): SilenceJson => ({
  silence_id: s.silenceId,
  experiment_id: String(s.experimentId),
  rule_id: s.ruleId,
  scorer: s.scorerName,
  starts_at: s.startsAt,
  ends_at: s.endsAt,
  reason: s.reason,
  created_by: s.createdBy,
  cancelled_at: s.cancelledAt,
});

export function createSilence({ ctx, input }: VerbArgs<CreateSilenceInput>): SilenceJson {
  const r = CreateSilenceInput.safeParse(input);
  if (!r.success) throw new InvalidParameterError(`Invalid silence: ${r.error.issues.map((i) => `'${i.path.join(".")}' ${i.message}`).join("; ")}`);
  const i = r.data;
  requireRole(ctx.actor, "operator", i.experiment_id);
  requireActiveExperiment(ctx.db, i.experiment_id);
  if ((i.rule_id === undefined) === (i.scorer === undefined)) throw new InvalidParameterError("Invalid silence: give exactly one of 'rule_id' or 'scorer'.");
  if (i.rule_id !== undefined && requireRule(ctx.db, i.rule_id).experimentId !== i.experiment_id)
    throw new InvalidParameterError("Invalid silence: 'rule_id' belongs to another experiment.");
  const now = ctx.now();
  let endsAt = i.ends_at;
  if (i.duration !== undefined) {
    const d = parseDurationText(i.duration);
    if (d === null || d <= 0) throw new InvalidParameterError("Invalid silence: 'duration' must be a duration such as \"2h\".");
    endsAt = now + d;
  }
  if (endsAt === undefined) throw new InvalidParameterError("Invalid silence: give 'ends_at' or 'duration'.");
  if (endsAt <= now) throw new InvalidParameterError("Invalid silence: 'ends_at' must be in the future.");
  if (endsAt - now > MAX_SILENCE_MS)
    throw new InvalidParameterError("Invalid silence: 'ends_at' is at most 30 days ahead (a longer silence is a disabled rule).");
  const row: SilenceRow = {
    silenceId: randomUUID(),
    experimentId: i.experiment_id,
    ruleId: i.rule_id ?? null,
    scorerName: i.scorer ?? null,
    startsAt: now,
    endsAt,
    reason: i.reason,
    createdBy: ctx.actor.id,
    createdAt: now,
    cancelledAt: null,
  };
  return ctx.db.transaction(() => {
    ctx.db.insert(alertSilences).values(row).run();
    recordAudit(ctx, {
      action: "alert.silence",
      entityType: "alert_silence",
      entityId: row.silenceId,
      experimentId: row.experimentId,
      after: silenceJson(row),
      reason: row.reason,
    });
    return silenceJson(row);
  });
}

export function cancelSilence({ ctx, input }: VerbArgs<{ silence_id: string }>): SilenceJson {
  const row = ctx.db
    .select()
    .from(alertSilences)
    .where(eq(alertSilences.silenceId, String(input.silence_id)))
    .get();
  if (!row) throw new NotFoundError(`Silence '${input.silence_id}' not found.`);
  requireRole(ctx.actor, "operator", row.experimentId);
  if (row.cancelledAt !== null) return silenceJson(row);
  const now = ctx.now();
  return ctx.db.transaction(() => {
    ctx.db.update(alertSilences).set({ cancelledAt: now }).where(eq(alertSilences.silenceId, row.silenceId)).run();
    recordAudit(ctx, {
      action: "alert.unsilence",
      entityType: "alert_silence",
      entityId: row.silenceId,
      experimentId: row.experimentId,
      before: silenceJson(row),
    });
    return silenceJson({ ...row, cancelledAt: now });
  });
}

export function listSilences({ ctx, input }: VerbArgs<{ experiment_id: string | number; include_ended?: boolean | string }>): { silences: SilenceJson[] } {
  const exp = experimentIdString.parse(input.experiment_id);
  requireRole(ctx.actor, "viewer", exp);
  getExperimentRow(ctx.db, exp);
  const all = input.include_ended === true || input.include_ended === "true";
  const where = all
    ? eq(alertSilences.experimentId, exp)
    : and(eq(alertSilences.experimentId, exp), isNull(alertSilences.cancelledAt), gt(alertSilences.endsAt, ctx.now()));
  return { silences: ctx.db.select().from(alertSilences).where(where).orderBy(desc(alertSilences.createdAt)).limit(200).all().map(silenceJson) };
}
