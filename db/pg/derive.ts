// Derives drizzle pg-core tables from the sqlite-core ones in db/schema: one definition per table
// for both dialects. Columns, not-null, defaults, primary keys, unique constraints and indexes
// (partial and expression ones included) are carried over; what cannot be translated faithfully
// (foreign keys, checks, SQL defaults, timestamp modes) throws, naming the column, instead of
// being dropped.
import { is, SQL, type ColumnBaseConfig, type ColumnDataType } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  numeric,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
} from "drizzle-orm/pg-core";
import { getTableConfig, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** Integer columns whose values stay far below 2^31 (versions, attempts, enum-like codes): `integer`. */
const SMALL_INTEGER = /(^|_)(version|attempts?|priority|kind|status|bin|pass|is_error|days|turns|revision)$/;

export type PgType = "text" | "json" | "integer" | "bigint" | "bigint-identity" | "boolean" | "double precision" | "numeric" | "bytea" | "bigint-exact";

/**
 * The pg type of one sqlite column. Ms timestamps, ids, counts and sizes exceed 2^31 (or may), so
 * an integer is `bigint` unless its name says it is small; SQLite's autoincrement keys become
 * identities. JSON kept as text stays text: Vigil stores JSON documents as text and reads them back
 * byte for byte (jsonb would reorder keys and respace them).
 */
export function pgTypeOf(col: { columnType: string; name: string; primary: boolean; autoIncrement?: boolean; mode?: string }): PgType {
  switch (col.columnType) {
    case "SQLiteText":
      return "text";
    case "SQLiteTextJson":
      // pg's json (not jsonb) keeps the text as written, as SQLite does.
      return "json";
    case "SQLiteInteger":
      if (col.primary && col.autoIncrement) return "bigint-identity";
      return SMALL_INTEGER.test(col.name) ? "integer" : "bigint";
    case "SQLiteBoolean":
      return "boolean";
    case "SQLiteReal":
      return "double precision";
    case "SQLiteNumeric":
    case "SQLiteNumericNumber":
    case "SQLiteNumericBigInt":
      return "numeric";
    case "SQLiteBlobBuffer":
    case "SQLiteBlobJson":
      return "bytea";
    case "SQLiteBigInt":
      return "bigint-exact";
    default:
      throw new Error(`column ${col.name}: no Postgres mapping for ${col.columnType}${col.mode ? ` (mode ${col.mode})` : ""}; add one to db/pg/derive.ts`);
  }
}

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

function builderFor(type: PgType, name: string, enumValues: readonly string[] | undefined): PgColumnBuilderBase {
  switch (type) {
    case "text":
      return enumValues?.length ? text(name, { enum: enumValues as [string, ...string[]] }) : text(name);
    case "json":
      return json(name);
    case "integer":
      return integer(name);
    case "bigint":
      return bigint(name, { mode: "number" });
    case "bigint-identity":
      return bigint(name, { mode: "number" }).generatedByDefaultAsIdentity();
    case "boolean":
      return boolean(name);
    case "double precision":
      return doublePrecision(name);
    case "numeric":
      return numeric(name);
    case "bytea":
      return bytea(name);
    case "bigint-exact":
      return bigint(name, { mode: "bigint" });
  }
}

/** A literal default as pg takes it; SQL defaults are dialect-specific and refused. */
export function pgDefault(type: PgType, value: unknown, column: string): unknown {
  if (is(value, SQL)) throw new Error(`column ${column}: SQL default has no automatic Postgres translation; write it in db/pg/derive.ts`);
  if (type === "boolean" && typeof value === "number") return value !== 0;
  return value;
}

type Columns<T extends SQLiteTable> = {
  [K in keyof T["_"]["columns"]]: PgColumn<Omit<T["_"]["columns"][K]["_"], "dialect"> & { dialect: "pg" } & ColumnBaseConfig<ColumnDataType, string>>;
};
export type PgOf<T extends SQLiteTable> = PgTableWithColumns<{ name: T["_"]["name"]; schema: undefined; dialect: "pg"; columns: Columns<T> }>;

/** Rewrites a SQL fragment over sqlite columns (partial index WHERE, expression index) onto the pg table. */
function onPg(fragment: SQL, pg: Record<string, unknown>, keyOf: Map<SQLiteColumn, string>): SQL {
  const chunks = fragment.queryChunks.map((chunk) => {
    if (is(chunk, SQLiteColumn)) return pg[keyOf.get(chunk)!] as PgColumn;
    if (is(chunk, SQL)) return onPg(chunk, pg, keyOf);
    return chunk;
  });
  return new SQL(chunks);
}

export function derivePgTable<T extends SQLiteTable>(table: T): PgOf<T> {
  const cfg = getTableConfig(table);
  if (cfg.foreignKeys.length) throw new Error(`table ${cfg.name}: foreign keys are not derived yet; add them to db/pg/derive.ts`);
  if (cfg.checks.length) throw new Error(`table ${cfg.name}: checks are not derived yet; add them to db/pg/derive.ts`);
  const keyOf = new Map<SQLiteColumn, string>();
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const [key, col] of Object.entries(table as unknown as Record<string, unknown>)) {
    if (!is(col, SQLiteColumn)) continue;
    keyOf.set(col, key);
    const c = col as SQLiteColumn & { autoIncrement?: boolean; mode?: string };
    const type = pgTypeOf(c);
    // The builders' chain methods are typed per builder; they exist on every pg column builder.
    let b = builderFor(type, c.name, c.enumValues) as unknown as {
      notNull(): unknown;
      default(v: unknown): unknown;
      primaryKey(): unknown;
      unique(name?: string): unknown;
    };
    const chain = (f: (x: typeof b) => unknown) => (b = f(b) as typeof b);
    if (c.defaultFn || c.onUpdateFn) throw new Error(`column ${cfg.name}.${c.name}: $defaultFn/$onUpdateFn are not derived yet`);
    if (c.generated) throw new Error(`column ${cfg.name}.${c.name}: generated columns are not derived yet`);
    if (c.primary) chain((x) => x.primaryKey());
    else if (c.notNull) chain((x) => x.notNull());
    if (c.hasDefault && c.default !== undefined && type !== "bigint-identity") chain((x) => x.default(pgDefault(type, c.default, `${cfg.name}.${c.name}`)));
    if (c.isUnique) chain((x) => x.unique(c.uniqueName));
    columns[key] = b as unknown as PgColumnBuilderBase;
  }
  const pg = pgTable(cfg.name, columns, (t) => {
    const col = (sc: SQLiteColumn) => (t as Record<string, PgColumn>)[keyOf.get(sc)!];
    const extra = [];
    for (const pk of cfg.primaryKeys) {
      const cols = pk.columns.map(col) as [PgColumn, ...PgColumn[]];
      extra.push(primaryKey({ name: pk.getName(), columns: cols }));
    }
    for (const u of cfg.uniqueConstraints) extra.push(unique(u.name).on(...(u.columns.map(col) as [PgColumn, ...PgColumn[]])));
    for (const ix of cfg.indexes) {
      const { name, columns: on, unique: isUnique, where } = ix.config;
      const parts = on.map((x) => (is(x, SQLiteColumn) ? col(x) : onPg(x as SQL, t as Record<string, unknown>, keyOf))) as [
        PgColumn | SQL,
        ...(PgColumn | SQL)[],
      ];
      const built = (isUnique ? uniqueIndex(name) : index(name)).on(...parts);
      extra.push(where ? built.where(onPg(where, t as Record<string, unknown>, keyOf)) : built);
    }
    return extra;
  });
  return pg as unknown as PgOf<T>;
}

/** Every table of a sqlite schema module, derived, under the same export names. */
export function derivePgSchema<S extends Record<string, unknown>>(
  schema: S,
): { [K in keyof S as S[K] extends SQLiteTable ? K : never]: S[K] extends SQLiteTable ? PgOf<S[K]> : never } {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(schema)) {
    if (is(value, SQLiteTable)) out[name] = derivePgTable(value);
  }
  return out as never;
}
