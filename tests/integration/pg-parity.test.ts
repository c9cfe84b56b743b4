// Strict schema parity: after both dialects' migrations, every SQLite table, column (type family,
// nullability, default, primary key), index (uniqueness, partial, columns), trigger and view has
// its Postgres counterpart under the same name, and Postgres has nothing SQLite lacks. A table or
// column added to db/schema without `npm run db:generate:pg` (or a custom SQLite index, trigger or
// view without its pg migration) fails here.
import { describe, expect, it } from "vitest";
import { useBothDatabases } from "./pg.helpers";

const both = useBothDatabases("parity");

const q = async <T>(text: string, params: unknown[] = []) => (await both.pg.$client.query(text, params)).rows as T[];
const sq = <T>(text: string, ...params: unknown[]) => both.sqlite.$client.prepare(text).all(...params) as T[];

const sqliteTables = () =>
  sq<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name").map(
    (r) => r.name,
  );

// SQLite's declared type → the pg types it may become (db/pg/derive.ts).
const TYPE_FAMILY: Record<string, string[]> = {
  integer: ["bigint", "integer", "boolean"],
  text: ["text", "json"],
  real: ["double precision"],
  numeric: ["numeric"],
  blob: ["bytea", "bigint"],
};

/** Defaults in one spelling: pg writes '{}'::text and 0, SQLite '{}' and 0 (booleans: false/0). */
function normDefault(v: string | null, pgType?: string): string | null {
  if (v === null) return null;
  let s = v.replace(/::[a-z ]+$/i, "");
  if (pgType === "boolean" || s === "true" || s === "false") s = s === "true" || s === "1" ? "true" : "false";
  return s;
}

describe("Postgres schema parity with SQLite after migrations", () => {
  it("has the same tables", async () => {
    const pgTables = (
      await q<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
      )
    ).map((r) => r.table_name);
    expect(pgTables).toEqual(sqliteTables());
  });

  it("has the same columns: type family, nullability, default, primary key", async () => {
    const pgCols = await q<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
      is_identity: string;
    }>(
      "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')",
    );
    const pk = await q<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
       WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position`,
    );
    const problems: string[] = [];
    for (const table of sqliteTables()) {
      const cols = sq<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`PRAGMA table_info("${table}")`);
      const theirs = pgCols.filter((c) => c.table_name === table);
      const extra = theirs.filter((c) => !cols.some((s) => s.name === c.column_name)).map((c) => c.column_name);
      if (extra.length) problems.push(`${table}: only in pg: ${extra.join(", ")}`);
      for (const c of cols) {
        const p = theirs.find((x) => x.column_name === c.name);
        if (!p) {
          problems.push(`${table}.${c.name}: missing in pg`);
          continue;
        }
        const family = TYPE_FAMILY[c.type.toLowerCase()] ?? [];
        if (!family.includes(p.data_type)) problems.push(`${table}.${c.name}: ${c.type} became ${p.data_type}`);
        const notNull = c.notnull === 1 || c.pk > 0;
        if (notNull !== (p.is_nullable === "NO")) problems.push(`${table}.${c.name}: not-null ${notNull} vs pg ${p.is_nullable === "NO"}`);
        if (normDefault(c.dflt_value, p.data_type) !== normDefault(p.column_default, p.data_type)) {
          problems.push(`${table}.${c.name}: default ${c.dflt_value} vs pg ${p.column_default}`);
        }
      }
      const sqlitePk = cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const pgPk = pk.filter((k) => k.table_name === table).map((k) => k.column_name);
      if (sqlitePk.join() !== pgPk.join()) problems.push(`${table}: primary key (${sqlitePk}) vs pg (${pgPk})`);
    }
    expect(problems).toEqual([]);
  });

  it("has every index under the same name, with the same uniqueness, partiality and columns", async () => {
    const pgIdx = await q<{ name: string; table: string; unique: boolean; partial: boolean; primary: boolean; columns: string[]; expressions: boolean }>(
      `SELECT c.relname AS name, t.relname AS table, i.indisunique AS unique, i.indpred IS NOT NULL AS partial, i.indisprimary AS primary,
         i.indexprs IS NOT NULL AS expressions,
         ARRAY(SELECT COALESCE(a.attname::text, '<expr>') FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
    );
    const sqliteIdx = sq<{ name: string; tbl_name: string; sql: string }>(
      "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name",
    );
    const problems: string[] = [];
    for (const s of sqliteIdx) {
      const p = pgIdx.find((x) => x.name === s.name);
      if (!p) {
        problems.push(`index ${s.name}: missing in pg`);
        continue;
      }
      const list = sq<{ name: string | null }>(`PRAGMA index_info("${s.name}")`).map((r) => r.name ?? "<expr>");
      const info = sq<{ unique: number; partial: number }>(`PRAGMA index_list("${s.tbl_name}")`).find(
        (r) => (r as unknown as { name: string }).name === s.name,
      )!;
      if (p.table !== s.tbl_name) problems.push(`index ${s.name}: on ${s.tbl_name} vs pg ${p.table}`);
      if (Boolean(info.unique) !== p.unique) problems.push(`index ${s.name}: unique ${Boolean(info.unique)} vs pg ${p.unique}`);
      if (Boolean(info.partial) !== p.partial) problems.push(`index ${s.name}: partial ${Boolean(info.partial)} vs pg ${p.partial}`);
      if (list.join() !== p.columns.join()) problems.push(`index ${s.name}: (${list}) vs pg (${p.columns})`);
    }
    // pg's own: primary keys (SQLite keeps them as autoindexes or rowid) and nothing else.
    const extra = pgIdx.filter((p) => !p.primary && !sqliteIdx.some((s) => s.name === p.name)).map((p) => p.name);
    expect(problems).toEqual([]);
    expect(extra).toEqual([]);
  });

  it("has every trigger on the same table, and every view with the same columns", async () => {
    const pgTriggers = await q<{ name: string; table: string }>(
      "SELECT t.tgname AS name, c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = 'public' ORDER BY t.tgname",
    );
    const sqliteTriggers = sq<{ name: string; table: string }>("SELECT name, tbl_name AS \"table\" FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
    expect(pgTriggers).toEqual(sqliteTriggers);
    expect(sqliteTriggers.length).toBeGreaterThan(0);

    const sqliteViews = sq<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").map((r) => r.name);
    const pgViews = (await q<{ table_name: string }>("SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name")).map(
      (r) => r.table_name,
    );
    expect(pgViews).toEqual(sqliteViews);
    for (const v of sqliteViews) {
      const sCols = sq<{ name: string }>(`PRAGMA table_info("${v}")`).map((r) => r.name);
      const pCols = (
        await q<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", [v])
      ).map((r) => r.column_name);
      expect(pCols, v).toEqual(sCols);
    }
  });
});
