import { openDb, type Db } from "@/db/client";
import { getConfig, type Actor, type Config, type Ctx } from "@/lib/core";

// One database handle per server process (Next.js may evaluate modules more than once).
const g = globalThis as unknown as { __vigilDb?: Db };

export function getDb(config: Config = getConfig()): Db {
  g.__vigilDb ??= openDb(config.databasePath);
  return g.__vigilDb;
}

/** The ctx for a dashboard request. Sign-in arrives with access control; until then the configured anonymous role acts. */
export function getServerCtx(): Ctx {
  const config = getConfig();
  const role = config.VIGIL_ANONYMOUS_ROLE === "none" ? "viewer" : config.VIGIL_ANONYMOUS_ROLE;
  const actor: Actor = { id: "dashboard", role };
  return { db: getDb(config), config, actor, now: Date.now, fetch };
}
