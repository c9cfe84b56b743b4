import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { logEvent, type Logger } from "@/lib/core/logger";

const SOURCE_DIRS = ["app", "components", "lib", "db", "scorers"];
const SOURCE_FILES = ["next.config.mjs", "package.json", "tsconfig.json"];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === "node_modules" || e.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

/** Ctrl-C (or SIGTERM) arrived while the dashboard was being built. */
export class BuildInterrupted extends Error {
  constructor(readonly signal: string) {
    super(`build interrupted by ${signal}`);
    this.name = "BuildInterrupted";
  }
}

/**
 * Builds the dashboard when there is no build or a source file is newer than it. Next's own
 * output (the route table) is kept back and shown only when the build fails.
 */
export async function buildIfNeeded(root: string, log: Logger): Promise<void> {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...[...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(path.join(root, p))));
  if (built && built >= sources) return;
  logEvent(
    log,
    "vigil.build",
    { reason: built ? "sources changed" : "first start" },
    {
      message: built ? "sources changed since the last build: rebuilding the dashboard…" : "building the dashboard (first start only)…",
    },
  );
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
  // The terminal sends Ctrl-C to the build too; wait for it to stop and say so once.
  let interrupted: string | null = null;
  const onSignal = (sig: NodeJS.Signals) => (interrupted ??= sig);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("close", (code, signal) => resolve({ code, signal })),
    );
    if (interrupted || signal === "SIGINT" || signal === "SIGTERM") throw new BuildInterrupted(interrupted ?? signal!);
    if (code !== 0) {
      process.stderr.write(output.slice(-8000));
      throw new Error(`next build failed (exit ${code ?? signal})`);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
