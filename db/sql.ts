// The asynchronous SQL port: the same statements, with named parameters (:name or @name), run on
// SQLite (better-sqlite3, db/sql-sqlite.ts) or on Postgres (the pg pool, db/pg/sql.ts), and give
// the same JS values back (integers as numbers, booleans as 0/1, JSON kept as text). Verbs written
// over it run on either dialect; where the dialects' SQL differs, `fx` and `byDialect` name the
// difference once.

export type Dialect = "sqlite" | "pg";
/**
 * Named values for :name/@name, or values in order for `?` placeholders (the hottest statements:
 * better-sqlite3 binds an array faster than an object). One statement uses one kind.
 */
export type Params = Record<string, unknown> | readonly unknown[];
export type Row = Record<string, unknown>;

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

export interface Sql {
  readonly dialect: Dialect;
  all<T = Row>(text: string, params?: Params): Promise<T[]>;
  get<T = Row>(text: string, params?: Params): Promise<T | undefined>;
  run(text: string, params?: Params): Promise<RunResult>;
  /**
   * One transaction. SQLite: BEGIN IMMEDIATE (the write lock taken up front, waiting as
   * busy_timeout says), other port calls on the connection wait until it ends. Postgres: one pooled
   * client pinned for the whole of `fn`, BEGIN ... COMMIT. Inside a transaction, tx() is a savepoint.
   * A throw rolls back everything `fn` wrote. On SQLite `fn` should await only the port: the
   * connection is shared with synchronous code of the same process.
   */
  tx<T>(fn: (t: Sql) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: serialises it with every other transaction that locks one of `keys`
   * until it ends (Postgres: transaction-scoped advisory locks, taken in one order so two never
   * deadlock). SQLite needs nothing: BEGIN IMMEDIATE already serialises all writers.
   */
  lock(keys: readonly string[]): Promise<void>;
  /** True inside tx(). */
  readonly inTx: boolean;
}

/** What both implementations share: the nesting depth (0 outside a transaction) and its checks. */
export abstract class PortBase {
  constructor(protected readonly depth: number) {}

  get inTx(): boolean {
    return this.depth > 0;
  }

  /** The name of the savepoint a tx() at this depth opens. */
  protected savepointName(): string {
    return `vigil_sp${this.depth}`;
  }

  protected requireTx(what: string): void {
    if (!this.inTx) throw new Error(`${what} is for use inside tx()`);
  }
}

/** The statement text for the port's dialect, where the two differ. */
export function byDialect(dialect: Dialect, texts: { sqlite: string; pg: string }): string {
  return texts[dialect];
}

/** SQL fragments whose spelling differs between the dialects. */
export const fx = {
  /** The smaller of two values (NULLs: SQLite's MIN gives NULL, LEAST ignores it; pass non-null values). */
  least: (d: Dialect, a: string, b: string) => (d === "pg" ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`),
  greatest: (d: Dialect, a: string, b: string) => (d === "pg" ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`),
  /** One top-level member of a JSON text column, as text (NULL when absent). */
  jsonText: (d: Dialect, column: string, key: string) =>
    d === "pg" ? `(${column}::jsonb ->> '${key.replace(/'/g, "''")}')` : `json_extract(${column}, '$."${key.replace(/'/g, "''")}"')`,
  /** A JSON text object merged into another one (RFC 7396 for flat objects of strings). */
  jsonMerge: (d: Dialect, target: string, patch: string) => (d === "pg" ? `(${target}::jsonb || ${patch}::jsonb)::text` : `json_patch(${target}, ${patch})`),
  /** The rows of a bound JSON array of strings, as a one-column subquery (`value`). */
  jsonStrings: (d: Dialect, param: string) =>
    d === "pg" ? `(SELECT value FROM json_array_elements_text(CAST(${param} AS json)) AS j(value))` : `(SELECT value FROM json_each(${param}))`,
  /** Milliseconds since the epoch at the statement's time. */
  nowMs: (d: Dialect) => (d === "pg" ? "vigil_now_ms()" : "CAST(unixepoch('subsec') * 1000 AS INTEGER)"),
  /** A bound value compared with NULL: Postgres must be told the parameter's type. */
  typed: (d: Dialect, param: string, pgType: "bigint" | "text" | "integer") => (d === "pg" ? `CAST(${param} AS ${pgType})` : param),
};

export interface Translated {
  text: string;
  /** Parameter names in $n order; for `?` placeholders, how many there are. */
  names: string[];
  positional: number;
}

const translations = new Map<string, Translated>();
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Rewrites :name / @name parameters (or `?` ones) as $1, $2 ... for Postgres (one number per name), leaving
 * string literals, quoted identifiers, comments, dollar-quoted bodies and `::` casts alone.
 * Memoised per statement text. (So Postgres's jsonb `?` operators are spelled jsonb_exists() here.)
 */
export function toPositional(sql: string): Translated {
  const hit = translations.get(sql);
  if (hit) return hit;
  const names: string[] = [];
  const index = new Map<string, number>();
  let positional = 0;
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === "$" && next === "$") {
      const end = sql.indexOf("$$", i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === ":" && next === ":") {
      out += "::";
      i += 2;
    } else if (c === "?") {
      out += `$${++positional}`;
      i++;
    } else if ((c === ":" || c === "@") && next !== undefined && /[A-Za-z_]/.test(next)) {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(sql)![0];
      let n = index.get(name);
      if (n === undefined) {
        names.push(name);
        index.set(name, (n = names.length));
      }
      out += `$${n}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  if (positional && names.length) throw new Error(`a statement takes ? or named parameters, not both: ${sql.slice(0, 80)}`);
  const t = { text: out, names, positional };
  if (translations.size > 5000) translations.clear();
  translations.set(sql, t);
  return t;
}

/** The index just past the quote closing the literal or identifier opened at `start`. */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/**
 * The named values in $n order; a name the params lack is an error, as better-sqlite3 makes it
 * (undefined binds NULL, as there). Booleans bind as 1/0 on both dialects: Postgres reads '1' and
 * '0' for a boolean as well as for an integer.
 */
export function positionalValues(t: Translated, params: Params | undefined): unknown[] {
  if (t.positional) {
    if (!Array.isArray(params) || params.length !== t.positional) throw new RangeError(`the statement takes ${t.positional} values in order`);
    return params.map(bindValue);
  }
  const named = (Array.isArray(params) ? undefined : params) as Record<string, unknown> | undefined;
  return t.names.map((name) => {
    const v = named?.[name];
    if (v === undefined) {
      if (named && name in named) return null;
      throw new RangeError(`Missing named parameter "${name}"`);
    }
    return bindValue(v);
  });
}

const bindValue = (v: unknown) => (typeof v === "boolean" ? Number(v) : v);
