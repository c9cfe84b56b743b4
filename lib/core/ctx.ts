import type { Db } from "@/db/client";
import type { Sql } from "@/db/sql";
import { sqliteSql } from "@/db/sql-sqlite";
import type { Actor } from "./actor";
import type { Config } from "./config";

/** What every lib verb receives besides its input: who acts, where data lives, and the clock. */
export interface Ctx {
  db: Db;
  actor: Actor;
  config: Config;
  now: () => number;
  /** External clients (judge HTTP, remote MLflow) are injected here so tests can replace them. */
  fetch: typeof fetch;
  /** The SQL port, when the caller has one; verbs on the port use sqlOf(ctx). */
  sql?: Sql;
}

/**
 * What a verb written over the SQL port receives: the port itself (either dialect), or a Ctx whose
 * SQLite handle gives it. Verbs still on drizzle/better-sqlite3 take a Ctx.
 */
export type PortCtx = Omit<Ctx, "db" | "sql"> & ({ sql: Sql; db?: Db } | { db: Db; sql?: Sql });

/** The port a verb runs on: the ctx's own, else the one over its SQLite connection. */
export function sqlOf(ctx: PortCtx): Sql {
  return ctx.sql ?? sqliteSql((ctx as { db: Db }).db.$client);
}

export interface VerbArgs<I> {
  ctx: Ctx;
  input: I;
}
