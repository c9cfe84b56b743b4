import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idChunks, IN_CHUNK, selectIn } from "./in-chunks";

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `t${from + i}`);

describe("idChunks", () => {
  it.each([
    { name: "empty list", input: [], size: 3, want: [] },
    { name: "fewer than one chunk", input: ["a", "b"], size: 3, want: [["a", "b"]] },
    { name: "exactly one chunk", input: ["a", "b", "c"], size: 3, want: [["a", "b", "c"]] },
    { name: "one past the boundary", input: ["a", "b", "c", "d"], size: 3, want: [["a", "b", "c"], ["d"]] },
    {
      name: "exactly two chunks",
      input: ["a", "b", "c", "d", "e", "f"],
      size: 3,
      want: [
        ["a", "b", "c"],
        ["d", "e", "f"],
      ],
    },
    { name: "duplicates read once, first-seen order", input: ["b", "a", "b", "c", "a"], size: 3, want: [["b", "a", "c"]] },
    { name: "a duplicate across the boundary stays in its first chunk", input: ["a", "b", "c", "a", "d"], size: 3, want: [["a", "b", "c"], ["d"]] },
    { name: "size one", input: ["a", "b"], size: 1, want: [["a"], ["b"]] },
  ])("$name", ({ input, size, want }) => {
    expect(idChunks(input, size)).toEqual(want);
  });

  it("defaults to IN_CHUNK ids a page", () => {
    expect(idChunks(ids(0, IN_CHUNK + 1)).map((c) => c.length)).toEqual([IN_CHUNK, 1]);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses chunk size %s", (size) => {
    expect(() => idChunks(["a"], size)).toThrow(RangeError);
  });
});

describe("selectIn on a real SQLite file", () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-in-chunks-"));
    db = new Database(path.join(dir, "v.db"));
    db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, grp INTEGER NOT NULL, n INTEGER NOT NULL)");
    const insert = db.prepare("INSERT INTO t VALUES (?, ?, ?)");
    db.transaction(() => ids(0, 1200).forEach((id, i) => insert.run(id, i % 2, i)))();
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { name: "empty list reads nothing", want: [] as string[], size: IN_CHUNK },
    { name: "one page", want: ids(0, 10), size: IN_CHUNK },
    { name: "exactly one full page", want: ids(0, 5), size: 5 },
    { name: "pages across the boundary", want: ids(0, 1100), size: IN_CHUNK },
  ])("$name", ({ want, size }) => {
    const rows = selectIn<{ id: string }>(db, "SELECT id FROM t WHERE id IN :ids", [...want, "missing"], { size });
    expect(rows.map((r) => r.id).sort()).toEqual([...want].sort());
  });

  it("reads a repeated id once even when its copies fall in different pages", () => {
    const list = [...ids(0, 3), "t0", "t1"];
    const rows = selectIn<{ id: string }>(db, "SELECT id FROM t WHERE id IN :ids", list, { size: 3 });
    expect(rows.map((r) => r.id)).toEqual(["t0", "t1", "t2"]);
  });

  it("binds leading values before the ids and keeps each page's ORDER BY", () => {
    const rows = selectIn<{ id: string; n: number }>(db, "SELECT id, n FROM t WHERE grp = ? AND id IN :ids ORDER BY n DESC", ids(0, 8), {
      before: [1],
      size: 4,
    });
    expect(rows.map((r) => r.id)).toEqual(["t3", "t1", "t7", "t5"]);
  });

  it("gives arrays in raw mode, and objects again for the same SQL without it", () => {
    const sql = "SELECT id, n FROM t WHERE id IN :ids";
    expect(selectIn(db, sql, ["t2"], { raw: true })).toEqual([["t2", 2]]);
    expect(selectIn(db, sql, ["t2"])).toEqual([{ id: "t2", n: 2 }]);
  });

  it("refuses SQL without the :ids placeholder", () => {
    expect(() => selectIn(db, "SELECT id FROM t WHERE id IN (?)", ["t1"])).toThrow(/:ids/);
  });
});
