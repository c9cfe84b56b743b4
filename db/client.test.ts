import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "./client";

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
