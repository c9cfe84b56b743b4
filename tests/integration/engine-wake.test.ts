// The idle worker's wake-up: a commit by another connection (another process in production) or
// this process's signal after storing spans ends its wait at once; the poll is the fallback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { waitForCommit } from "@/db/commit-signal";
import { runWorker } from "@/lib/engine/worker";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { storeFor } from "@/lib/runtime/engine-store";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, newExperiment, seedTraces } from "./engine.helpers";

let worker: Db;
let writer: Db;
let ctx: Ctx;
let writerCtx: Ctx;
let cleanup: () => void;

beforeAll(() => {
  const tmp = tempDbPath("vigil-wake-");
  cleanup = tmp.cleanup;
  const config = parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0", VIGIL_WORKER_POLL_MS: "60000" });
  worker = openDb(tmp.file);
  ensureDefaultExperiment(worker);
  writer = openDb(tmp.file);
  ctx = testCtx(worker, config);
  writerCtx = testCtx(writer, config);
});
afterAll(() => {
  worker.$client.close();
  writer.$client.close();
  cleanup();
});

const elapsed = async (p: Promise<void>) => {
  const t0 = performance.now();
  await p;
  return performance.now() - t0;
};

describe("waitForCommit", () => {
  it("returns when another connection commits, long before the poll", async () => {
    const wait = waitForCommit(worker.$client, 10_000, new AbortController().signal);
    setTimeout(() => writer.$client.exec("CREATE TABLE IF NOT EXISTS wake_probe (x); INSERT INTO wake_probe VALUES (1)"), 30);
    expect(await elapsed(wait)).toBeLessThan(2000);
  });

  it("returns when this process stores a completed trace on the same connection", async () => {
    const exp = newExperiment(ctx, "wake-same");
    const wait = waitForCommit(worker.$client, 10_000, new AbortController().signal);
    setTimeout(() => void seedTraces(ctx, exp, "same", [{ startMs: Date.now() - 1000 }]), 30);
    expect(await elapsed(wait)).toBeLessThan(2000);
  });

  it("ignores the connection's own commits that signal nothing, and falls back to the timeout", async () => {
    const wait = waitForCommit(worker.$client, 150, new AbortController().signal);
    worker.$client.exec("CREATE TABLE IF NOT EXISTS wake_own (x); INSERT INTO wake_own VALUES (1)");
    const ms = await elapsed(wait);
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(5000);
  });

  it("returns on abort", async () => {
    const c = new AbortController();
    const wait = waitForCommit(worker.$client, 60_000, c.signal);
    setTimeout(() => c.abort(), 20);
    expect(await elapsed(wait)).toBeLessThan(2000);
  });
});

describe("an idle worker", () => {
  it("scores a trace stored by another connection without waiting for its 60 s poll", async () => {
    const exp = newExperiment(ctx, "wake-worker");
    addScorer(ctx, exp, {
      name: "length",
      serialized: serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 2000 } }),
      sampleRate: 1,
    });
    const c = new AbortController();
    const running = runWorker({ ctx, signal: c.signal, log: () => {}, storeFor: storeFor(ctx, c.signal) });
    const count = () => worker.$client.prepare("SELECT COUNT(*) FROM assessments WHERE experiment_id = ?").pluck().get(exp) as number;
    // Let the worker go idle (its first passes find nothing), then commit from the other connection.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    await seedTraces(writerCtx, exp, "other", [{ startMs: Date.now() - 1000 }]);
    while (count() === 0 && performance.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 10));
    const ms = performance.now() - t0;
    c.abort();
    await running;
    expect(count()).toBe(1);
    expect(ms).toBeLessThan(10_000);
  });
});
