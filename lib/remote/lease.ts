// A named lease among workers sharing one database: taken when free, expired or already ours.
import type Database from "better-sqlite3";
import { cachedStatement } from "@/db/cached-statement";

/** True when `owner` holds `name` until now + ms (taken or renewed). */
export function takeLease(db: Database.Database, name: string, owner: string, now: number, ms: number): boolean {
  const r = cachedStatement(
    db,
    `INSERT INTO remote_leases (name, owner, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE remote_leases.owner = excluded.owner OR remote_leases.expires_at < ?`,
  ).run(name, owner, now + ms, now);
  return r.changes === 1;
}
