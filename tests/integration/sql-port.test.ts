// The SQL port (db/sql.ts) on both dialects: the same statements, parameters, transactions,
// fragments and lease claims give the same answers on a SQLite file and on Postgres.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimLeasedSql, type LeaseQuery } from "@/db/lease-claim";
import { fx, type Dialect, type Sql } from "@/db/sql";
import { DIALECTS, useBothDatabases } from "./pg.helpers";

const both = useBothDatabases("sqlport");

// Scratch tables of this file only (each dialect's test database is its own).
const SCRATCH = [
  "CREATE TABLE port_kv (k TEXT PRIMARY KEY, n BIGINT, doc TEXT NOT NULL DEFAULT '{}')",
  "CREATE TABLE port_queue (id INTEGER PRIMARY KEY, due_at BIGINT NOT NULL, lease_owner TEXT, lease_expires_at BIGINT, done_by TEXT)",
];

beforeAll(async () => {
  for (const d of DIALECTS) for (const s of SCRATCH) await both.sql(d).run(s);
});

beforeEach(async () => {
  for (const d of DIALECTS) {
    await both.sql(d).run("DELETE FROM port_kv");
    await both.sql(d).run("DELETE FROM port_queue");
  }
});

const kv = async (sql: Sql) => sql.all("SELECT k, n FROM port_kv ORDER BY k");

interface ValueCase {
  name: string;
  sql: (d: Dialect) => string;
  params?: Record<string, unknown>;
  row: Record<string, unknown>;
}

const VALUES: ValueCase[] = [
  {
    name: "named parameters, : and @, one name bound twice",
    sql: (d) => `SELECT ${fx.typed(d, ":a", "integer")} + ${fx.typed(d, "@a", "integer")} AS two, @b AS b, ':a' AS lit`,
    params: { a: 1, b: "x" },
    row: { two: 2, b: "x", lit: ":a" },
  },
  { name: "COUNT and SUM as numbers", sql: () => "SELECT COUNT(*) AS c, SUM(x) AS s FROM (SELECT 2 AS x UNION ALL SELECT 3) AS t", row: { c: 2, s: 5 } },
  { name: "a comparison is 0/1", sql: () => "SELECT 1 = 1 AS yes, 1 = 2 AS no", row: { yes: 1, no: 0 } },
  {
    name: "boolean parameters",
    sql: (d) => `SELECT ${fx.typed(d, ":t", "integer")} AS t, ${fx.typed(d, ":f", "integer")} AS f`,
    params: { t: true, f: false },
    row: { t: 1, f: 0 },
  },
  { name: "a NULL parameter compared", sql: (d) => `SELECT ${fx.typed(d, ":v", "bigint")} IS NULL AS absent`, params: { v: null }, row: { absent: 1 } },
  { name: "least and greatest", sql: (d) => `SELECT ${fx.least(d, "3", "5")} AS lo, ${fx.greatest(d, "3", "5")} AS hi`, row: { lo: 3, hi: 5 } },
  {
    name: "a member of a JSON text",
    sql: (d) => `SELECT ${fx.jsonText(d, ":doc", "mlflow.trace.session")} AS s, ${fx.jsonText(d, ":doc", "nope")} AS n`,
    params: { doc: '{"mlflow.trace.session":"s-1","x":2}' },
    row: { s: "s-1", n: null },
  },
  {
    name: "JSON objects merged",
    sql: (d) => `SELECT ${fx.jsonText(d, fx.jsonMerge(d, ":a", ":b"), "k")} AS k, ${fx.jsonText(d, fx.jsonMerge(d, ":a", ":b"), "j")} AS j`,
    params: { a: '{"k":"old","j":"kept"}', b: '{"k":"new"}' },
    row: { k: "new", j: "kept" },
  },
  {
    name: "the rows of a JSON array of strings",
    sql: (d) => `SELECT COUNT(*) AS c, MIN(value) AS lo FROM ${fx.jsonStrings(d, ":ids")} AS ids`,
    params: { ids: JSON.stringify(["b", "a", "c"]) },
    row: { c: 3, lo: "a" },
  },
];

describe.each(DIALECTS)("the SQL port on %s", (dialect) => {
  const sql = () => both.sql(dialect);

  it.each(VALUES.map((c) => [c.name, c] as const))("%s", async (_n, c) => {
    expect(await sql().get(c.sql(dialect), c.params)).toEqual(c.row);
  });

  it("refuses a statement whose named parameter is missing", async () => {
    await expect(sql().get("SELECT :a AS a, :b AS b", { a: 1 })).rejects.toThrow(/Missing named parameter "b"/);
  });

  it("counts changes, keeps JSON as text, and ignores a conflicting insert with ON CONFLICT DO NOTHING", async () => {
    expect(await sql().run("INSERT INTO port_kv (k, n, doc) VALUES (:k, :n, :doc)", { k: "a", n: 2 ** 40, doc: '{"b": 1,"a":2}' })).toEqual({ changes: 1 });
    expect(await sql().run("INSERT INTO port_kv (k, n) VALUES (:k, 1) ON CONFLICT DO NOTHING", { k: "a" })).toEqual({ changes: 0 });
    expect(await sql().run("UPDATE port_kv SET n = n + 1 WHERE k IN ('a', 'zz')")).toEqual({ changes: 1 });
    expect(await sql().get("SELECT n, doc FROM port_kv WHERE k = 'a'")).toEqual({ n: 2 ** 40 + 1, doc: '{"b": 1,"a":2}' });
    expect(await sql().get("SELECT n FROM port_kv WHERE k = 'none'")).toBeUndefined();
  });

  it("commits a transaction, rolls back one that throws, and a savepoint inside it", async () => {
    const r = await sql().tx(async (t) => {
      expect(t.inTx).toBe(true);
      await t.run("INSERT INTO port_kv (k, n) VALUES ('a', 1)");
      await expect(
        t.tx(async (s) => {
          await s.run("INSERT INTO port_kv (k, n) VALUES ('b', 2)");
          throw new Error("inner");
        }),
      ).rejects.toThrow("inner");
      await t.tx((s) => s.run("INSERT INTO port_kv (k, n) VALUES ('c', 3)"));
      return "done";
    });
    expect(r).toBe("done");
    await expect(
      sql().tx(async (t) => {
        await t.run("INSERT INTO port_kv (k, n) VALUES ('d', 4)");
        await t.run("INSERT INTO port_kv (k, n) VALUES ('a', 9)"); // duplicate key: the whole transaction goes
      }),
    ).rejects.toThrow();
    expect(await kv(sql())).toEqual([
      { k: "a", n: 1 },
      { k: "c", n: 3 },
    ]);
  });

  it("keeps statements of other callers out of an open transaction that then rolls back", async () => {
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    let proceed!: () => void;
    const gate = new Promise<void>((r) => (proceed = r));
    const tx = sql().tx(async (t) => {
      await t.run("INSERT INTO port_kv (k, n) VALUES ('tx', 1)");
      inside();
      await gate;
      throw new Error("abandon");
    });
    await opened;
    // Issued while the transaction is open: it must neither join it nor be lost with it.
    const outside = sql().run("INSERT INTO port_kv (k, n) VALUES ('outside', 2)");
    proceed();
    await expect(tx).rejects.toThrow("abandon");
    await outside;
    expect(await kv(sql())).toEqual([{ k: "outside", n: 2 }]);
  });

  it("serialises transactions that lock the same key", async () => {
    await sql().run("INSERT INTO port_kv (k, n) VALUES ('counter', 0)");
    // Read, yield, write: without the lock two of them would read the same value on Postgres.
    const bump = () =>
      sql().tx(async (t) => {
        await t.lock(["counter", "other"]);
        const { n } = (await t.get<{ n: number }>("SELECT n FROM port_kv WHERE k = 'counter'"))!;
        await new Promise((r) => setTimeout(r, 5));
        await t.run("UPDATE port_kv SET n = :n WHERE k = 'counter'", { n: n + 1 });
      });
    await Promise.all(Array.from({ length: 6 }, bump));
    expect(await sql().get("SELECT n FROM port_kv WHERE k = 'counter'")).toEqual({ n: 6 });
  });

  const QUEUE: LeaseQuery = { table: "port_queue", key: "id", due: "due_at <= @now AND done_by IS NULL", order: "due_at, id", returning: "id, lease_owner" };

  it("leases due rows once: a live lease is skipped, an expired one is taken over, the owner may retake its own", async () => {
    for (let id = 1; id <= 6; id++) await sql().run("INSERT INTO port_queue (id, due_at) VALUES (:id, :due)", { id, due: id === 6 ? 10_000 : id });
    const a = await claimLeasedSql<{ id: number }>(sql(), QUEUE, { owner: "a", now: 100, leaseMs: 50, limit: 3 });
    const b = await claimLeasedSql<{ id: number }>(sql(), QUEUE, { owner: "b", now: 110, leaseMs: 50, limit: 10 });
    expect(a.map((r) => r.id).sort()).toEqual([1, 2, 3]);
    expect(b.map((r) => r.id).sort()).toEqual([4, 5]);
    expect(await claimLeasedSql(sql(), QUEUE, { owner: "c", now: 120, leaseMs: 50, limit: 10 })).toEqual([]);
    // a's lease ran out at 150: c takes its rows; b takes back its own with orOwn.
    const c = await claimLeasedSql<{ id: number }>(sql(), QUEUE, { owner: "c", now: 151, leaseMs: 50, limit: 10 });
    expect(c.map((r) => r.id).sort()).toEqual([1, 2, 3]);
    const own = await claimLeasedSql<{ id: number }>(sql(), { ...QUEUE, orOwn: true }, { owner: "b", now: 152, leaseMs: 50, limit: 10 });
    expect(own.map((r) => r.id).sort()).toEqual([4, 5]);
    expect(await claimLeasedSql(sql(), QUEUE, { owner: "x", now: 1, leaseMs: 1, limit: 0 })).toEqual([]);
  });

  it("gives concurrent claimers disjoint rows, and together every due row", async () => {
    for (let id = 1; id <= 200; id++) await sql().run("INSERT INTO port_queue (id, due_at) VALUES (:id, 0)", { id });
    const claimer = async (owner: string) => {
      const got: number[] = [];
      for (;;) {
        const rows = await claimLeasedSql<{ id: number }>(sql(), QUEUE, { owner, now: 1, leaseMs: 60_000, limit: 7 });
        if (!rows.length) return got;
        got.push(...rows.map((r) => r.id));
      }
    };
    const results = await Promise.all(["a", "b", "c", "d"].map(claimer));
    const all = results.flat().sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});
