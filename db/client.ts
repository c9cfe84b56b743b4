import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as tables from "./schema";
// The scorer tables are left out of the schema barrel so only lib/monitoring imports them (lint:deps).
import * as scorerTables from "./schema/scorers";

const schema = { ...tables, ...scorerTables };

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The database file cannot be opened or written; lib/core's isConfigError counts it as a bad setting. */
export class DatabaseOpenError extends Error {
  readonly setting = "DATABASE_URL";
  constructor(detail: string) {
    super(`DATABASE_URL: ${detail}`);
    this.name = "DatabaseOpenError";
  }
}

type ConnectionSetup = (sqlite: Database.Database) => void;
const setups: ConnectionSetup[] = [];
const live = new Set<WeakRef<Database.Database>>();

/**
 * Registers what every connection gets (SQL functions, pragmas): connections opened later and
 * those open now. The layer that needs it registers it, so db imports none of lib: MLflow's
 * filter grammar registers case-sensitive LIKE and REGEXP (lib/mlflow/filter/sql.ts).
 */
export function onEveryConnection(setup: ConnectionSetup): void {
  setups.push(setup);
  for (const ref of live) {
    const sqlite = ref.deref();
    if (sqlite?.open) setup(sqlite);
    else live.delete(ref);
  }
}

export const migrationsFolder = () => path.join(process.cwd(), "db", "migrations");

/**
 * Opens (creating if needed) the SQLite database, in WAL mode, and applies pending migrations.
 * A path that cannot be written fails with a DatabaseOpenError naming DATABASE_URL.
 */
export function openDb(file: string, opts: { migrate?: boolean; synchronous?: "NORMAL" | "FULL" } = {}): Db {
  let sqlite: Database.Database;
  try {
    if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    // NORMAL in WAL mode: a committed transaction survives a crash of the process (kill -9), not
    // a power loss; FULL (VIGIL_SQLITE_SYNCHRONOUS) syncs the WAL on every commit for that too.
    sqlite.pragma(`synchronous = ${opts.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("foreign_keys = ON");
    // Probe a write so an unwritable file fails here, not at the first request.
    sqlite.exec("CREATE TABLE IF NOT EXISTS _vigil_probe(x); DROP TABLE _vigil_probe;");
    for (const setup of setups) setup(sqlite);
    live.add(new WeakRef(sqlite));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new DatabaseOpenError(`cannot open ${file} for writing (${reason})`);
  }
  preferImmediateTransactions(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

/**
 * The web server and the worker write to one file. A deferred transaction that reads before it
 * writes cannot wait for the other process's lock (SQLite answers SQLITE_BUSY at once to avoid a
 * deadlock), so every transaction here takes the write lock up front and waits (busy_timeout).
 * Drizzle asks for "deferred" explicitly, hence both entry points are mapped.
 */
function preferImmediateTransactions(sqlite: Database.Database): void {
  const native = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = native(fn);
    const immediate = (...args: unknown[]) => t.immediate(...args);
    return Object.assign(immediate, { default: t.immediate, deferred: t.immediate, immediate: t.immediate, exclusive: t.exclusive });
  }) as typeof sqlite.transaction;
}
