#!/usr/bin/env node
// `npx vigil ...`: runs scripts/cli.ts with tsx from the package root, whatever the caller's
// working directory (config file paths stay relative to it).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Resolved from this package, not from the caller's directory (which has no node_modules/tsx).
const tsx = import.meta.resolve("tsx");
const r = spawnSync(process.execPath, ["--import", tsx, path.join(root, "scripts", "cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  // tsx reads the "@/..." path aliases from this tsconfig, not from the caller's directory.
  env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json") },
});
process.exit(r.status ?? 1);
