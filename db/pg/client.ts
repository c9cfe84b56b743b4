// The Postgres client: a bounded pool (node-postgres) with statement and connect timeouts, the
// pg migrations applied at open under an advisory lock (several processes may start at once), and
// a bounded, backed-off wait for a Postgres that is down at start, ending in a DatabaseOpenError (a bad DATABASE_URL to isConfigError), never
// in a crash loop.
import path from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pRetry, { AbortError } from "p-retry";
import pg from "pg";
import { DatabaseOpenError } from "../client";
import { pgTables } from "./schema";

export interface PgSettings {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** How long openPgDb waits for Postgres to answer before it gives up (0: one attempt). */
  startWaitMs: number;
}

export type PgDb = NodePgDatabase<typeof pgTables> & { $client: pg.Pool };

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export function pgSettings(config: {
  DATABASE_URL: string;
  VIGIL_PG_POOL_MAX: number;
  VIGIL_PG_STATEMENT_TIMEOUT_MS: number;
  VIGIL_PG_CONNECT_TIMEOUT_MS: number;
  VIGIL_PG_START_WAIT_MS: number;
}): PgSettings {
  return {
    url: config.DATABASE_URL,
    poolMax: config.VIGIL_PG_POOL_MAX,
    statementTimeoutMs: config.VIGIL_PG_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.VIGIL_PG_CONNECT_TIMEOUT_MS,
    startWaitMs: config.VIGIL_PG_START_WAIT_MS,
  };
}

export const pgMigrationsFolder = () => path.join(process.cwd(), "db", "migrations-pg");

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

// Failures that waiting can cure: nothing listening yet, a timeout, a server starting up or
// shutting down, too many connections. Anything else (bad password, no such database) is final.
const TRANSIENT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "57P01", "57P02", "57P03", "53300"]);

export function isTransientConnectError(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (!err) return false;
  if (err.code && TRANSIENT_CODES.has(err.code)) return true;
  return /timeout|terminated|Connection terminated/i.test(err.message ?? "");
}

// int8 (COUNT, SUM of integers, bigint columns in raw SQL) as a JS number while it is exact, as
// better-sqlite3 answers; larger values stay decimal strings rather than lose digits.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID && format !== "binary") {
      return (v: string) => {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : v;
      };
    }
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

function clientConfig(s: PgSettings): pg.ClientConfig {
  return {
    connectionString: s.url,
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs || undefined,
    application_name: "vigil",
    types,
  };
}

/** Connects one client, waiting with backoff up to startWaitMs while Postgres is unreachable. */
export async function connectWithWait(s: PgSettings, onRetry?: (info: { attempt: number; error: string }) => void): Promise<pg.Client> {
  const started = Date.now();
  try {
    return await pRetry(
      async () => {
        const client = new pg.Client(clientConfig(s));
        // An error on an idle client (server gone) must not become an uncaught exception.
        client.on("error", () => {});
        try {
          await client.connect();
          return client;
        } catch (e) {
          await client.end().catch(() => {});
          if (!isTransientConnectError(e)) throw new AbortError(e instanceof Error ? e : new Error(String(e)));
          throw e;
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        maxRetryTime: s.startWaitMs,
        minTimeout: 200,
        maxTimeout: 5_000,
        factor: 2,
        onFailedAttempt: ({ error, attemptNumber }) => onRetry?.({ attempt: attemptNumber, error: error.message }),
      },
    );
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const where = redactUrl(s.url);
    if (!isTransientConnectError(e)) throw new DatabaseOpenError(`Postgres at ${where} refused the connection (${reason})`);
    const waited = Math.round((Date.now() - started) / 1000);
    throw new DatabaseOpenError(`Postgres at ${where} did not answer within ${waited} s (VIGIL_PG_START_WAIT_MS); last error: ${reason}`);
  }
}

// One lock id for Vigil's migrations: the processes of one deployment migrate one at a time.
const MIGRATION_LOCK = 0x76_69_67_69; // "vigi"

/** Applies db/migrations-pg on one connection while holding a session advisory lock. */
export async function migratePg(client: pg.Client, migrationsFolder = pgMigrationsFolder()): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}

/**
 * Opens the pool once Postgres answers (bounded wait), applies pending migrations, and returns
 * drizzle over the pool. Fails with a DatabaseOpenError naming DATABASE_URL when Postgres stays down.
 */
export async function openPgDb(
  s: PgSettings,
  opts: { migrate?: boolean; onRetry?: (info: { attempt: number; error: string }) => void; onPoolError?: (e: Error) => void } = {},
): Promise<PgDb> {
  if (!isPostgresUrl(s.url)) throw new DatabaseOpenError("not a postgres:// URL");
  const first = await connectWithWait(s, opts.onRetry);
  try {
    if (opts.migrate !== false) await migratePg(first);
  } catch (e) {
    throw new DatabaseOpenError(`migrating Postgres at ${redactUrl(s.url)} failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await first.end().catch(() => {});
  }
  const pool = new pg.Pool({ ...clientConfig(s), max: s.poolMax });
  // An idle client whose server went away emits here; the pool drops it and the next query
  // reconnects, so this is logged, not thrown.
  pool.on("error", (e) => opts.onPoolError?.(e));
  return drizzle(pool, { schema: pgTables }) as PgDb;
}
