// Runs `vigil` as a child process, the way its users do (shared by the CLI tests).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI the way the brief's users do; never throws, so tests can look at failures. */
export async function cli(args: string[], opts: { viaBin?: boolean; cwd?: string } = {}): Promise<CliResult> {
  const argv = opts.viaBin ? [path.join(ROOT, "bin/vigil.mjs"), ...args] : ["--import", "tsx", "scripts/cli.ts", ...args];
  try {
    const r = await run(process.execPath, argv, { cwd: opts.cwd ?? ROOT, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}
