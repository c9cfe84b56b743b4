import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog } from "@/db/schema";
import { PermissionDeniedError, requireRole, type VerbArgs } from "@/lib/core";
import { experimentIdString, int64 } from "@/lib/mlflow/proto-json";
import { auditEntryFromRow, type AuditEntry } from "./record-audit";

export const ListAuditEntriesInput = z.object({
  experiment_id: experimentIdString.optional(),
  entity_type: z.string().min(1).optional(),
  entity_id: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  /** Inclusive lower and upper bounds on `at`, ms since epoch. */
  since: int64.optional(),
  until: int64.optional(),
  max_results: z.coerce.number().int().min(1).max(1000).default(100),
  /** The id of the last entry of the previous page: entries are returned newest first. */
  page_token: z.string().regex(/^\d+$/, "must be a page token from a previous answer").optional(),
});
export type ListAuditEntriesInput = z.input<typeof ListAuditEntriesInput>;

export interface AuditPage {
  entries: AuditEntry[];
  next_page_token?: string;
}

/**
 * Audit entries, newest first, filtered by any combination of experiment, entity, action and
 * actor. Readers see the log: knowing who paused a scorer and why is part of reading its status.
 * A token limited to one experiment must ask for that experiment.
 */
export function listAuditEntries({ ctx, input }: VerbArgs<ListAuditEntriesInput>): AuditPage {
  const i = ListAuditEntriesInput.parse(input);
  requireRole(ctx.actor, "viewer", i.experiment_id);
  if (ctx.actor.experimentId != null && i.experiment_id === undefined) {
    throw new PermissionDeniedError(`Your token is limited to experiment ${ctx.actor.experimentId}; pass experiment_id.`);
  }
  const where: SQL[] = [];
  if (i.experiment_id !== undefined) where.push(eq(auditLog.experimentId, i.experiment_id));
  if (i.entity_type) where.push(eq(auditLog.entityType, i.entity_type));
  if (i.entity_id) where.push(eq(auditLog.entityId, i.entity_id));
  if (i.action) where.push(eq(auditLog.action, i.action));
  if (i.actor) where.push(eq(auditLog.actor, i.actor));
  if (i.since !== undefined) where.push(gte(auditLog.at, i.since));
  if (i.until !== undefined) where.push(lte(auditLog.at, i.until));
  // Ids grow with time, so paging by id is stable while new entries keep arriving.
  if (i.page_token) where.push(lt(auditLog.id, Number(i.page_token)));
  const rows = ctx.db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(i.max_results + 1)
    .all();
  const page = rows.slice(0, i.max_results).map(auditEntryFromRow);
  return rows.length > i.max_results ? { entries: page, next_page_token: String(page[page.length - 1]!.id) } : { entries: page };
}
