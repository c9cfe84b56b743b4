// The one lease claim every queue uses (the completion outbox, the task queue, jobs, alert
// deliveries): rows that are due and not leased (or whose lease ran out) are leased to `owner` in
// one statement, so two workers never take the same row.
import type Database from "better-sqlite3";
import type { Sql } from "./sql";

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

/**
 * The same claim over the SQL port. SQLite: the one UPDATE above (BEGIN IMMEDIATE or the
 * statement's own write lock serialises claimers). Postgres: the due rows are locked with FOR
 * UPDATE SKIP LOCKED, so concurrent claimers take disjoint rows without waiting on each other, and
 * a row whose lease another claimer renewed meanwhile is re-checked under its lock.
 */
export async function claimLeasedSql<T = Record<string, unknown>>(sql: Sql, q: LeaseQuery, a: LeaseArgs): Promise<T[]> {
  if (a.limit <= 0) return [];
  const free = `lease_expires_at IS NULL OR lease_expires_at < @now${q.orOwn ? " OR lease_owner = @owner" : ""}`;
  const set = `lease_owner = @owner, lease_expires_at = @expires${q.set ? `, ${q.set}` : ""}`;
  const text =
    sql.dialect === "pg"
      ? `WITH claimed AS (SELECT ${q.key} AS claimed_key FROM ${q.table} WHERE (${q.due}) AND (${free})
                          ORDER BY ${q.order} LIMIT @limit FOR UPDATE SKIP LOCKED)
         UPDATE ${q.table} SET ${set} FROM claimed WHERE ${q.table}.${q.key} = claimed.claimed_key
         RETURNING ${q.returning}`
      : `UPDATE ${q.table} SET ${set}
         WHERE ${q.key} IN (SELECT ${q.key} FROM ${q.table} WHERE (${q.due}) AND (${free}) ORDER BY ${q.order} LIMIT @limit)
         RETURNING ${q.returning}`;
  return sql.all<T>(text, { ...a.params, owner: a.owner, expires: a.now + a.leaseMs, now: a.now, limit: a.limit });
}
