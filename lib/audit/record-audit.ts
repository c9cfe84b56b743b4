// The audit log: who changed what, when, from what to what, and why. Every domain that changes
// operator-visible state calls recordAudit inside the same transaction as the change, so a change
// and its record are written together or not at all.
import { auditLog } from "@/db/schema";
import type { Ctx } from "@/lib/core";

export interface AuditRecord {
  /** A verb-like name, e.g. "scorer.start", "scorer.pause", "experiment.delete". */
  action: string;
  /** What kind of thing changed, e.g. "scorer", "experiment", "token". */
  entityType: string;
  /** Its stable identifier, e.g. a scorer_id. */
  entityId: string;
  experimentId?: number | string | null;
  /** State before and after the change; stored as JSON text. Leave out what did not exist. */
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  experimentId: number | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

const toJson = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Writes one audit entry as `ctx.actor` at `ctx.now()`. No role check: the caller's verb has
 * already checked the change itself, and recording it must never be refused.
 */
export function recordAudit(ctx: Pick<Ctx, "db" | "actor" | "now">, record: AuditRecord): number {
  if (!record.action.trim() || !record.entityType.trim() || !record.entityId.trim()) {
    // A record that cannot be found again is a bug in the caller, not a user error.
    throw new Error("recordAudit: action, entityType and entityId are required");
  }
  const experimentId = record.experimentId == null ? null : Number(record.experimentId);
  const row = ctx.db
    .insert(auditLog)
    .values({
      at: ctx.now(),
      actor: ctx.actor.id,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      experimentId: Number.isSafeInteger(experimentId) ? experimentId : null,
      before: toJson(record.before),
      after: toJson(record.after),
      reason: record.reason?.trim() ? record.reason.trim() : null,
    })
    .returning({ id: auditLog.id })
    .get();
  return row.id;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function auditEntryFromRow(row: typeof auditLog.$inferSelect): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    experimentId: row.experimentId,
    before: parseJson(row.before),
    after: parseJson(row.after),
    reason: row.reason,
  };
}
