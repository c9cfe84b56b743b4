// The SQL port on better-sqlite3. Statements are prepared once per connection; booleans bind as
// 0/1. A transaction is BEGIN IMMEDIATE on the shared connection; while it is open, the port's
// other callers on that connection wait their turn (a gate), so no other async flow's statements
// land inside it.
import type Database from "better-sqlite3";
import { cachedStatement } from "./cached-statement";
import { PortBase, type Params, type Row, type RunResult, type Sql } from "./sql";

const asSqlite = (v: unknown) => (typeof v === "boolean" ? Number(v) : v);

/** The statement's arguments: booleans as 0/1, an array spread over `?`, an object by name. */
function bindable(params: Params | undefined): unknown[] {
  if (!params) return [];
  if (Array.isArray(params)) return params.some((v) => typeof v === "boolean") ? params.map(asSqlite) : (params as unknown[]);
  let out: Record<string, unknown> | undefined;
  const named = params as Record<string, unknown>;
  for (const k in named) if (typeof named[k] === "boolean") (out ??= { ...named })[k] = asSqlite(named[k]);
  return [out ?? named];
}

/** One connection's queue of transactions: each waits for the one before to end. */
interface Gate {
  tail: Promise<void>;
  open: number;
}

const ports = new WeakMap<Database.Database, Sql>();

/** The port over one better-sqlite3 connection (one per connection, shared by its callers). */
export function sqliteSql(db: Database.Database): Sql {
  let port = ports.get(db);
  if (!port) ports.set(db, (port = new SqlitePort(db, { tail: Promise.resolve(), open: 0 }, 0)));
  return port;
}

class SqlitePort extends PortBase implements Sql {
  readonly dialect = "sqlite" as const;
  constructor(
    private readonly db: Database.Database,
    private readonly gate: Gate,
    depth: number,
  ) {
    super(depth);
  }

  async all<T = Row>(text: string, params?: Params): Promise<T[]> {
    // Outside a transaction, wait while one of the port's transactions holds the connection; from
    // the last check to the statement nothing yields, so no transaction can begin in between.
    while (this.depth === 0 && this.gate.open > 0) await this.gate.tail;
    const st = cachedStatement(this.db, text);
    const p = bindable(params);
    return st.all(...p) as T[];
  }

  async get<T = Row>(text: string, params?: Params): Promise<T | undefined> {
    while (this.depth === 0 && this.gate.open > 0) await this.gate.tail;
    const st = cachedStatement(this.db, text);
    const p = bindable(params);
    return st.get(...p) as T | undefined;
  }

  async run(text: string, params?: Params): Promise<RunResult> {
    while (this.depth === 0 && this.gate.open > 0) await this.gate.tail;
    const st = cachedStatement(this.db, text);
    const p = bindable(params);
    return { changes: st.run(...p).changes };
  }

  async lock(): Promise<void> {
    this.requireTx("lock()");
  }

  async tx<T>(fn: (t: Sql) => Promise<T>): Promise<T> {
    if (this.inTx) return this.savepoint(fn);
    const gate = this.gate;
    const before = gate.tail;
    let release!: () => void;
    gate.tail = new Promise<void>((r) => (release = r));
    gate.open++;
    try {
      await before;
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(new SqlitePort(this.db, gate, 1));
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    } finally {
      gate.open--;
      release();
    }
  }

  private async savepoint<T>(fn: (t: Sql) => Promise<T>): Promise<T> {
    const name = this.savepointName();
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new SqlitePort(this.db, this.gate, this.depth + 1));
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw e;
    }
  }
}
