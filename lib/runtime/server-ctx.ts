import { openDb, type Db } from "@/db/client";
import { getConfig, type Config } from "@/lib/core";

// One database handle per server process (Next.js may evaluate modules more than once).
const g = globalThis as unknown as { __vigilDb?: Db };

export function getDb(config: Config = getConfig()): Db {
  g.__vigilDb ??= openDb(config.databasePath, { synchronous: config.VIGIL_SQLITE_SYNCHRONOUS });
  return g.__vigilDb;
}
