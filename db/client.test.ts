import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "./client";
import { tempDbPath } from "../tests/helpers/server";

describe("openDb with a second process writing", () => {
  const tmp = tempDbPath("vigil-db-");
  afterEach(() => tmp.cleanup());

  it("waits for the other writer instead of failing a read-then-write transaction", async () => {
    const db = openDb(tmp.file);
    db.$client.exec("CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0);");
    // Another process takes the write lock, says so, then commits an increment a moment later.
    const child = spawn(process.execPath, ["-e", `
      const D = require("better-sqlite3"); const d = new D(${JSON.stringify(tmp.file)});
      d.exec("BEGIN IMMEDIATE"); d.exec("UPDATE counter SET n = n + 1");
      process.stdout.write("locked\\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      d.exec("COMMIT"); d.close();
    `], { stdio: ["ignore", "pipe", "inherit"] });
    await once(child.stdout!, "data");
    // Read, then write from that read: with a deferred transaction this fails with SQLITE_BUSY.
    db.transaction(() => {
      const { n } = db.$client.prepare("SELECT n FROM counter").get() as { n: number };
      db.$client.prepare("UPDATE counter SET n = ?").run(n + 10);
    });
    await once(child, "exit");
    expect((db.$client.prepare("SELECT n FROM counter").get() as { n: number }).n).toBe(11);
    db.$client.close();
  });
});
