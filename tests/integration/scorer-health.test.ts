// The dashboard's "Scores 24 h" counts the scores of the last 24 hours' TRACES, so scoring a week
// of old traces today (a backfill, a scorer started late) does not read as today's activity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { loadScorerHealth } from "@/lib/read/scorers/scorer-health";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, drain, engine, newExperiment, seedTraces } from "./engine.helpers";

const HOUR = 3600_000;
let db: Db;
let ctx: Ctx;
let cleanup: () => void;
const now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;

beforeAll(() => {
  const tmp = tempDbPath("vigil-health-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" }), { now: () => now });
});
afterAll(() => {
  db.$client.close();
  cleanup();
});

describe("scorer health", () => {
  it("counts scores by trace time: old traces scored now are not today's scores", async () => {
    const exp = newExperiment(ctx, "health");
    // 12 traces of three days ago and 8 of the last hours (2 of them failed), all scored now.
    await seedTraces(
      ctx,
      exp,
      "old",
      Array.from({ length: 12 }, (_, i) => ({ startMs: now - 72 * HOUR + i * 1000 })),
    );
    await seedTraces(
      ctx,
      exp,
      "recent",
      Array.from({ length: 8 }, (_, i) => ({ startMs: now - (i % 4) * HOUR - 60_000, error: i < 2 })),
    );
    addScorer(ctx, exp, { name: "errors", sampleRate: 1, serialized: serializeBuiltin({ name: "errors", className: "TraceError" }) });
    await drain(engine(ctx));
    const scored = db.$client.prepare("SELECT COUNT(*) FROM assessments WHERE experiment_id = ? AND name = 'errors'").pluck().get(exp);
    expect(scored).toBe(20);

    const h = loadScorerHealth(ctx, exp, [{ name: "errors" }]).get("errors")!;
    expect(h.scores24h).toBe(8);
    expect(h.buckets).toHaveLength(24);
    // The hours of the traces: four hours, two traces each; the newest hour is the last bucket.
    expect(h.buckets.slice(-4).map((b) => b.count)).toEqual([2, 2, 2, 2]);
    expect(h.buckets.slice(0, -4).every((b) => b.count === 0)).toBe(true);
    // TraceError passes a trace without an error: 6 of 8.
    expect(h.passRate24h).toBeCloseTo(6 / 8);
    expect(h.lastScoredAt).not.toBeNull();
  });
});
