// The one lease claim every queue uses (the completion outbox, the task queue, jobs, alert
// deliveries): rows that are due and not leased (or whose lease ran out) are leased to `owner` in
// one statement, so two workers never take the same row.
import type Database from "better-sqlite3";

export interface LeaseQuery {
  table: string;
  key: string;
  /** Extra condition on due rows (SQL with @named parameters from `params`). */
  due: string;
  order: string;
  returning: string;
  /** More to set on the claimed rows (SQL with @named parameters; @now is the claim's time). */
  set?: string;
  /** The owner may take again a row it still holds (a job it was scanning). */
  orOwn?: boolean;
}

export interface LeaseArgs {
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  params?: Record<string, unknown>;
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function claimLeased(db: Database.Database, q: LeaseQuery, a: LeaseArgs): unknown[] {
  if (a.limit <= 0) return [];
  const free = `lease_expires_at IS NULL OR lease_expires_at < @now${q.orOwn ? " OR lease_owner = @owner" : ""}`;
  const sql = `UPDATE ${q.table} SET lease_owner = @owner, lease_expires_at = @expires${q.set ? `, ${q.set}` : ""}
    WHERE ${q.key} IN (SELECT ${q.key} FROM ${q.table} WHERE (${q.due}) AND (${free})
                       ORDER BY ${q.order} LIMIT @limit)
    RETURNING ${q.returning}`;
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st.all({ ...a.params, owner: a.owner, expires: a.now + a.leaseMs, now: a.now, limit: a.limit });
}
