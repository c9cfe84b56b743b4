// `npm run bench`: every benchmark in turn, each printing its figures beside a baseline from the same run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { WORKER_NODE_ARGS } from "@/lib/engine/worker-process";

const dir = path.dirname(new URL(import.meta.url).pathname);
const only = process.argv[2];
// Modules the benchmarks share and the child server bench/remote.ts starts: not benchmarks themselves.
const HELPERS = new Set(["index.ts", "scorers.ts", "trace-fixture.ts", "remote-server.ts"]);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !HELPERS.has(f) && (!only || f.includes(only)))
  .sort();
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  // The engine bench scores in its own process: with the worker process's Node flags.
  const flags = b === "engine.ts" ? WORKER_NODE_ARGS.slice(0, WORKER_NODE_ARGS.indexOf("--import")) : [];
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", path.join(dir, b)], { stdio: "inherit" });
  if (r.status !== 0) console.log(`(${b} exited with ${r.status})`);
}
