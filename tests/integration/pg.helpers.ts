// Test databases on both dialects: a migrated SQLite file and a migrated database on the run's
// Postgres cluster (tests/helpers/postgres.ts), each behind the SQL port, so one table of cases
// runs on both (describe.each(DIALECTS)).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getTableName } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { openDb, type Db } from "@/db/client";
import { openPgDb, type PgDb, type PgSettings } from "@/db/pg/client";
import { pgTables } from "@/db/pg/schema";
import { pgSql } from "@/db/pg/sql";
import type { Dialect, Sql } from "@/db/sql";
import { sqliteSql } from "@/db/sql-sqlite";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres";

export const pgTestSettings = (url: string, over: Partial<PgSettings> = {}): PgSettings => ({
  url,
  poolMax: 4,
  statementTimeoutMs: 30_000,
  connectTimeoutMs: 5_000,
  startWaitMs: 10_000,
  ...over,
});

export const DIALECTS: readonly Dialect[] = ["sqlite", "pg"];

export interface BothDatabases {
  /** The SQLite file's drizzle handle (its $client is the better-sqlite3 connection). */
  readonly sqlite: Db;
  readonly pg: PgDb;
  /** The test database's URL on the cluster (another process or pool may open it). */
  readonly pgUrl: string;
  /** The SQL port of one dialect. */
  sql(dialect: Dialect): Sql;
  /** Empties every table on both (identities restart on Postgres). */
  reset(): Promise<void>;
}

/**
 * Opens both databases before the file's tests and closes them after; `{ resetEach: true }`
 * empties them before every test.
 */
export function useBothDatabases(prefix: string, opts: { resetEach?: boolean; pg?: Partial<PgSettings> } = {}): BothDatabases {
  let dir: string | undefined;
  let sqlite: Db | undefined;
  let tdb: TestDatabase | undefined;
  let pg: PgDb | undefined;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("useBothDatabases: use the databases inside tests or hooks, not at collection time");
    return v;
  };
  const both: BothDatabases = {
    get sqlite() {
      return ready(sqlite);
    },
    get pg() {
      return ready(pg);
    },
    get pgUrl() {
      return ready(tdb).url;
    },
    sql: (dialect) => (dialect === "pg" ? pgSql(ready(pg).$client) : sqliteSql(ready(sqlite).$client)),
    async reset() {
      const names = Object.values(pgTables).map((t) => getTableName(t));
      for (const n of names) ready(sqlite).$client.exec(`DELETE FROM "${n}"`);
      await ready(pg).$client.query(`TRUNCATE ${names.map((n) => `"${n}"`).join(", ")} RESTART IDENTITY`);
    },
  };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `vigil-${prefix}-`));
    sqlite = openDb(path.join(dir, `${prefix}.db`));
    tdb = await createTestDatabase(prefix);
    pg = await openPgDb(pgTestSettings(tdb.url, opts.pg));
  });
  afterAll(async () => {
    await pg?.$client.end();
    await tdb?.drop();
    sqlite?.$client.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  if (opts.resetEach) beforeEach(() => both.reset());
  return both;
}
