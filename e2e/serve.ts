// Starts Vigil for the e2e suite on a fresh database file, through the same entry as `npm start`.
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve(process.env.E2E_DATA_DIR ?? "test-results/e2e-data");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.DATABASE_URL = path.join(dir, "vigil.db");
process.env.VIGIL_DEMO = "1";
process.env.VIGIL_TRACE_QUIET_MS = "60000";

// A second or third e2e server must serve the build the first one is already serving: rebuilding
// .next under it (a source edited since) swaps its chunks mid-run. So the build is marked current
// while scripts/start.ts checks it (synchronously, before its first await), then unmarked, so a
// later `npm start` still rebuilds what changed.
const buildId = path.resolve(".next", "BUILD_ID");
const stat = process.env.E2E_SERVE_EXISTING_BUILD === "1" ? fs.statSync(buildId, { throwIfNoEntry: false }) : undefined;
if (stat) fs.utimesSync(buildId, new Date(), new Date());
try {
  await import("../scripts/start");
} finally {
  if (stat) fs.utimesSync(buildId, stat.atime, stat.mtime);
}
