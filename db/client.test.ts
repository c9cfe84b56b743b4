import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isConfigError } from "@/lib/core/config";
import "@/lib/mlflow/filter/sql";
import { DatabaseOpenError, onEveryConnection, openDb } from "./client";

describe("openDb durability", () => {
  it.each([
    [undefined, 1],
    ["NORMAL", 1],
    ["FULL", 2],
  ] as const)("synchronous %s → PRAGMA synchronous = %i, in WAL mode", (setting, want) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-sync-"));
    try {
      const db = openDb(path.join(dir, "v.db"), { migrate: false, synchronous: setting });
      expect(db.$client.pragma("synchronous", { simple: true })).toBe(want);
      expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      db.$client.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("openDb connection setup", () => {
  it("applies a registered setup to connections open now and opened later", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-setup-"));
    try {
      const before = openDb(path.join(dir, "a.db"), { migrate: false });
      onEveryConnection((sqlite) => sqlite.function("vigil_setup_probe", () => 42));
      const after = openDb(path.join(dir, "b.db"), { migrate: false });
      for (const db of [before, after]) expect(db.$client.prepare("SELECT vigil_setup_probe()").pluck().get()).toBe(42);
      before.$client.close();
      after.$client.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives MLflow's filter grammar case-sensitive LIKE and REGEXP on every connection", () => {
    const db = openDb(":memory:", { migrate: false });
    expect(db.$client.prepare("SELECT 'Abc' LIKE 'a%'").pluck().get()).toBe(0);
    expect(db.$client.prepare("SELECT 'Abc' REGEXP '^A.c$'").pluck().get()).toBe(1);
    db.$client.close();
  });

  it("fails on a file it cannot write with an error naming DATABASE_URL, counted as a bad setting", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-ro-"));
    try {
      const file = path.join(dir, "not-a-dir");
      fs.writeFileSync(file, "");
      let thrown: unknown;
      try {
        openDb(path.join(file, "v.db"), { migrate: false });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DatabaseOpenError);
      expect((thrown as DatabaseOpenError).setting).toBe("DATABASE_URL");
      expect((thrown as Error).message).toMatch(/^DATABASE_URL: cannot open /);
      expect(isConfigError(thrown)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
