// What on-call reads when MLflow is down: the real worker process logs one structured warning per
// kind of failure (why, with the cause chain), its stack only at debug, and nothing on shutdown.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "@/tests/helpers/worker-process";

interface Line {
  level: string;
  event?: string;
  msg: string;
  reason?: string;
  causes?: string[];
  message?: string;
}

/** A loopback port nothing listens on: taken from the OS, then closed. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-worker-log-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("worker log when MLflow is down", () => {
  it("says why in one warning line with the cause chain; the stack only at debug; a shutdown is no failure", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        VIGIL_DEMO: "0",
        LOG_LEVEL: "debug",
        DATABASE_URL: `file:${path.join(dir, "v.db")}`,
        MLFLOW_TRACKING_URI: `http://127.0.0.1:${await closedPort()}`,
      },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const lines = () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Line);
    try {
      await waitFor("a failed pass to be logged", () => lines().some((l) => l.event === "worker.pass_failed"));
    } finally {
      child.kill("SIGTERM");
      await exited;
    }

    const all = lines();
    const failed = all.filter((l) => l.event === "worker.pass_failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: "warn", reason: expect.stringMatching(/^UpstreamUnavailableError: MLflow is unreachable/) });
    expect(Array.isArray(failed[0]!.causes)).toBe(true);
    expect(failed[0]!.msg).toContain("worker pass failed (work waits and is retried): UpstreamUnavailableError");
    // No stack above debug: every warning is one line of text.
    for (const l of all.filter((x) => x.level !== "debug")) expect(JSON.stringify(l)).not.toMatch(/\\n\s+at /);
    const stack = all.filter((l) => l.level === "debug" && l.message?.startsWith("worker pass failed: UpstreamUnavailableError"));
    expect(stack).toHaveLength(1);
    expect(stack[0]!.message).toMatch(/\n\s+at /);
    // SIGTERM aborts the pass in flight: that is the worker stopping, not failing.
    expect(all.some((l) => l.message === "worker stopped")).toBe(true);
    expect(all.filter((l) => /abort/i.test(l.reason ?? "") || /abort/i.test(l.message ?? ""))).toEqual([]);
  });
});
