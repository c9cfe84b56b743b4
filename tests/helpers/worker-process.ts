// The real worker process (scripts/worker.ts) for crash tests: spawned with extra settings,
// SIGKILLed, and every child still running is killed when the suite ends.
import { spawn, type ChildProcess } from "node:child_process";

export class WorkerProcesses {
  private readonly children = new Set<ChildProcess>();

  start(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: process.cwd(),
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, VIGIL_DEMO: "0", ...env },
    });
    this.children.add(child);
    child.once("exit", () => this.children.delete(child));
    return child;
  }

  async kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  killAll(): void {
    for (const c of this.children) c.kill("SIGKILL");
  }
}

/** Polls `cond` every 10 ms; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
