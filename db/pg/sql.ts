// The SQL port on a node-postgres pool: :name/@name parameters become $n, and results come back
// as SQLite's would (int8 as a number while exact, booleans as 0/1, json as its text), so the same
// verb code reads the same values on both dialects. A transaction pins one pooled client.
import pg from "pg";
import { PortBase, positionalValues, toPositional, type Params, type Row, type RunResult, type Sql } from "../sql";

const OID = { bool: 16, int8: 20, json: 114 } as const;

const portTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== "binary") {
      if (oid === OID.int8)
        return (v: string) => {
          const n = Number(v);
          return Number.isSafeInteger(n) ? n : v;
        };
      if (oid === OID.bool) return (v: string) => (v === "t" ? 1 : 0);
      if (oid === OID.json) return (v: string) => v;
    }
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

type Queryable = pg.Pool | pg.PoolClient;

/** The port over a pool (each statement on any free client; each transaction on one client). */
export function pgSql(pool: pg.Pool): Sql {
  return new PgPort(pool, pool, 0);
}

class PgPort extends PortBase implements Sql {
  readonly dialect = "pg" as const;
  private readonly pool: pg.Pool;
  /** The pool outside a transaction, the pinned client inside one. */
  private readonly on: Queryable;

  constructor(pool: pg.Pool, on: Queryable, depth: number) {
    super(depth);
    this.pool = pool;
    this.on = on;
  }

  private async query(text: string, params: Params | undefined): Promise<pg.QueryResult> {
    const t = toPositional(text);
    return this.on.query({ text: t.text, values: positionalValues(t, params), types: portTypes });
  }

  async all<T = Row>(text: string, params?: Params): Promise<T[]> {
    return (await this.query(text, params)).rows as T[];
  }

  async get<T = Row>(text: string, params?: Params): Promise<T | undefined> {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }

  async run(text: string, params?: Params): Promise<RunResult> {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }

  async lock(keys: readonly string[]): Promise<void> {
    this.requireTx("lock()");
    if (!keys.length) return;
    // In lock-id order, whatever order the keys came in: two transactions never wait on each other in a cycle.
    await this.on.query({
      text: "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ids",
      values: [keys],
    });
  }

  async tx<T>(fn: (t: Sql) => Promise<T>): Promise<T> {
    if (this.inTx) return this.savepoint(fn);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN").catch((e: Error) => {
        throw (broken = e);
      });
      try {
        const result = await fn(new PgPort(this.pool, client, 1));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw e;
      }
    } finally {
      // A client whose BEGIN or rollback failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  private async savepoint<T>(fn: (t: Sql) => Promise<T>): Promise<T> {
    const name = this.savepointName();
    await this.on.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new PgPort(this.pool, this.on, this.depth + 1));
      await this.on.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.on.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    }
  }
}
