// The one lease claim every queue uses (the outbox, the task queue): rows that are due and not
// leased (or whose lease ran out) are leased to `owner` in one statement, so two workers never
// take the same row. Jobs lease one row at a time with their own claim (lib/engine/jobs).
import type Database from "better-sqlite3";

export interface LeaseQuery {
  table: string;
  key: string;
  /** Extra condition on due rows (SQL with @named parameters from `params`). */
  due: string;
  order: string;
  returning: string;
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
  const sql = `UPDATE ${q.table} SET lease_owner = @owner, lease_expires_at = @expires
    WHERE ${q.key} IN (SELECT ${q.key} FROM ${q.table} WHERE (${q.due}) AND (lease_expires_at IS NULL OR lease_expires_at < @now)
                       ORDER BY ${q.order} LIMIT @limit)
    RETURNING ${q.returning}`;
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st.all({ ...a.params, owner: a.owner, expires: a.now + a.leaseMs, now: a.now, limit: a.limit });
}
