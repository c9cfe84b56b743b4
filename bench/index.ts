// `npm run bench`: every benchmark in turn, each printing its figures beside a baseline from the same run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const dir = path.dirname(new URL(import.meta.url).pathname);
const only = process.argv[2];
const benches = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "scorers.ts" && (!only || f.includes(only))).sort();
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, b)], { stdio: "inherit" });
  if (r.status !== 0) console.log(`(${b} exited with ${r.status})`);
}
