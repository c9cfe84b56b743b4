// vitest globalSetup: gives the run one folder for its Postgres cluster. The cluster itself starts
// lazily, when the first Postgres test file asks for it (tests/helpers/postgres.ts), so a run
// without such files pays nothing; teardown stops it if it was started.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RUN_DIR_ENV, stopCluster } from "./postgres";

export function setup(): () => void {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-pg-run-"));
  // The server runs as `postgres` when the tests run as root: it must reach the folder below.
  fs.chmodSync(runDir, 0o755);
  process.env[RUN_DIR_ENV] = runDir;
  return () => {
    const info = path.join(runDir, "cluster.json");
    try {
      if (fs.existsSync(info)) stopCluster(JSON.parse(fs.readFileSync(info, "utf8")), "immediate");
    } finally {
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  };
}
