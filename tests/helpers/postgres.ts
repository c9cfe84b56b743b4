// A private Postgres 15 cluster for the tests: started on first use by any test file of a vitest
// run (initdb + pg_ctl in a temp dir, as the `postgres` user when running as root), shared by every
// file of that run, and stopped by the global teardown (tests/helpers/postgres-global.ts). Each
// file gets a fresh database. Missing binaries fail the test with the install instruction.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const PG_INSTALL_HINT =
  "Postgres tests need PostgreSQL 15's server binaries (initdb, pg_ctl). Install Debian's package (as root: apt-get update && apt-get install -y postgresql-15)\n" +
  "or put a PostgreSQL 15+ bin folder on PATH.";

/** Where the run's cluster lives: set by the global setup, so every worker process finds the same one. */
export const RUN_DIR_ENV = "VIGIL_TEST_PG_RUN_DIR";
const PORT_RANGE: [number, number] = [4900, 4999];

interface ClusterInfo {
  port: number;
  dataDir: string;
  socketDir: string;
  binDir: string;
}

/** The folder holding initdb and pg_ctl of PostgreSQL 15 or newer, or null. */
export function findPgBinDir(): string | null {
  const candidates = ["/usr/lib/postgresql/15/bin", ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean)];
  for (const dir of candidates) {
    const initdb = path.join(dir, "initdb");
    if (!fs.existsSync(initdb) || !fs.existsSync(path.join(dir, "pg_ctl"))) continue;
    const real = path.dirname(fs.realpathSync(initdb));
    const version = execFileSync(path.join(real, "initdb"), ["--version"], { encoding: "utf8" });
    const major = Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1] ?? 0);
    if (major >= 15) return real;
  }
  return null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a Postgres binary, as the `postgres` user when we are root (initdb refuses root). */
function runPg(bin: string, args: string[]): string {
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  try {
    return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${path.basename(bin)} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  // Random start so two runs at once rarely race for the same port.
  const span = PORT_RANGE[1] - PORT_RANGE[0] + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = PORT_RANGE[0] + ((start + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${PORT_RANGE[0]}-${PORT_RANGE[1]} for the test Postgres`);
}

/** Creates and starts a cluster in a fresh temp dir owned by the user the server runs as. */
export async function startCluster(baseDir?: string): Promise<ClusterInfo> {
  const binDir = findPgBinDir();
  if (!binDir) throw new Error(PG_INSTALL_HINT);
  const root = baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "vigil-pg-"));
  const dataDir = path.join(root, "data");
  const socketDir = path.join(root, "sock");
  fs.mkdirSync(socketDir, { recursive: true });
  if (isRoot()) execFileSync("chown", ["-R", "postgres:postgres", root]);
  runPg(path.join(binDir, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const opts = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${socketDir}`, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
    try {
      runPg(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-l", path.join(root, "server.log"), "-w", "-t", "30", "-o", opts.join(" "), "start"]);
      return { port, dataDir, socketDir, binDir };
    } catch (e) {
      if (tries >= 3) throw e;
    }
  }
}

export function stopCluster(c: Pick<ClusterInfo, "dataDir" | "binDir">, mode: "fast" | "immediate" = "fast"): void {
  runPg(path.join(c.binDir, "pg_ctl"), ["-D", c.dataDir, "-m", mode, "-w", "stop"]);
}

export function startStoppedCluster(c: ClusterInfo): void {
  const opts = [`-p ${c.port}`, "-c listen_addresses=127.0.0.1", `-k ${c.socketDir}`, "-c fsync=off", "-c synchronous_commit=off"];
  runPg(path.join(c.binDir, "pg_ctl"), [
    "-D",
    c.dataDir,
    "-l",
    path.join(path.dirname(c.dataDir), "server.log"),
    "-w",
    "-t",
    "30",
    "-o",
    opts.join(" "),
    "start",
  ]);
}

export const clusterUrl = (c: Pick<ClusterInfo, "port">, database = "postgres") => `postgres://postgres@127.0.0.1:${c.port}/${database}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The run's shared cluster: the first caller (any worker process) takes a lock by mkdir and starts
 * it; the others wait for its info file. Outside a vitest run with the global setup, a private one.
 */
export async function sharedCluster(): Promise<ClusterInfo> {
  const runDir = process.env[RUN_DIR_ENV];
  if (!runDir) throw new Error(`${RUN_DIR_ENV} is unset: the Postgres tests need vitest's globalSetup (tests/helpers/postgres-global.ts)`);
  const info = path.join(runDir, "cluster.json");
  const lock = path.join(runDir, "lock");
  const failed = path.join(runDir, "failed.txt");
  let owner = false;
  try {
    fs.mkdirSync(lock);
    owner = true;
  } catch {
    // Another file of this run is starting it.
  }
  if (owner) {
    try {
      const c = await startCluster(path.join(runDir, "cluster"));
      fs.writeFileSync(info + ".tmp", JSON.stringify(c));
      fs.renameSync(info + ".tmp", info);
    } catch (e) {
      fs.writeFileSync(failed, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (fs.existsSync(info)) return JSON.parse(fs.readFileSync(info, "utf8")) as ClusterInfo;
    if (fs.existsSync(failed)) throw new Error(fs.readFileSync(failed, "utf8"));
    await sleep(50);
  }
  throw new Error("the test Postgres cluster did not start within 60 s");
}

export interface TestDatabase {
  url: string;
  name: string;
  cluster: ClusterInfo;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's cluster; drop() removes it. */
export async function createTestDatabase(prefix = "t"): Promise<TestDatabase> {
  const cluster = await sharedCluster();
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: clusterUrl(cluster) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: clusterUrl(cluster, name),
    name,
    cluster,
    async drop() {
      const c = new pg.Client({ connectionString: clusterUrl(cluster) });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
