// Starts Vigil for the e2e suite on a fresh database file, through the same entry as `npm start`.
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve(process.env.E2E_DATA_DIR ?? "test-results/e2e-data");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.DATABASE_URL = path.join(dir, "vigil.db");
process.env.VIGIL_DEMO = "1";
process.env.VIGIL_TRACE_QUIET_MS = "60000";

await import("../scripts/start");
