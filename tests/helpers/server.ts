import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { openDb, type Db } from "@/db/client";
import { systemActor, parseConfig, type Config, type Ctx } from "@/lib/core";
import { ensureAdminToken } from "@/lib/auth";
import { createApiHandler } from "@/lib/http";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";

export interface TestServer {
  url: string;
  db: Db;
  config: Config;
  dir: string;
  /** A ctx acting as the system (admin) for direct lib calls in tests. */
  ctx: Ctx;
  close(): Promise<void>;
}

/** A temp directory holding a real SQLite file, removed by the returned cleanup. */
export function tempDbPath(prefix = "vigil-test-"): { file: string; dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { file: path.join(dir, "vigil.db"), dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function testCtx(db: Db, config: Config, overrides: Partial<Ctx> = {}): Ctx {
  return { db, config, actor: systemActor, now: Date.now, fetch, ...overrides };
}

/** Starts Vigil's REST/OTLP surface over real HTTP on 127.0.0.1 with a fresh SQLite file. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const tmp = tempDbPath();
  const config = parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0", ...env });
  const db = openDb(config.databasePath);
  ensureAdminToken(db, config);
  ensureDefaultExperiment(db);
  const handle = createApiHandler({ db, config, log: () => {} });
  const server = http.createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404).end();
        }
      },
      (e) => {
        res.writeHead(500).end(String(e));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    config,
    dir: tmp.dir,
    ctx: testCtx(db, config),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.$client.close();
      tmp.cleanup();
    },
  };
}
