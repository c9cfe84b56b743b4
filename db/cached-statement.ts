import type Database from "better-sqlite3";

// Prepared statements per connection, by SQL text: the engine's stores run the same few statements
// for every pair, and preparing them each time cost more than running them (bench/remote.ts profile).
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}
