// The scoring thread the worker process uses: same writes as scoring in place, and a scorer
// that blocks its thread synchronously is cut off (something a timer alone cannot do).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, type Ctx } from "@/lib/core";
import { inlineCodeScorer, scoreItem, type ScoreReply, type ScoringSettings } from "@/lib/engine/code-scorer";
import { ERROR_CODES } from "@/lib/engine/retry-policy";
import { scorersByName } from "@/lib/engine/scorer-set";
import { ThreadCodeScorer } from "@/lib/engine/thread-scorer";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { addScorer, newExperiment, seedTraces } from "./engine.helpers";

let db: Db;
let ctx: Ctx;
let file: string;
let cleanup: () => void;
let thread: ThreadCodeScorer;
const logs: string[] = [];

const settings: ScoringSettings = {
  policy: { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 },
  prices: {},
  code: { env: { fetch }, timeoutMs: 200 },
  random: () => 0.5,
  newAssessmentId: (() => {
    let n = 0;
    return () => `a-${(++n).toString(16).padStart(32, "0")}`;
  })(),
  now: Date.now,
};

beforeAll(() => {
  const tmp = tempDbPath("vigil-thread-");
  file = tmp.file;
  cleanup = tmp.cleanup;
  db = openDb(file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: file, VIGIL_DEMO: "0" }));
  thread = new ThreadCodeScorer({ databasePath: file, policy: settings.policy, prices: {}, timeoutMs: 200, testDelayMs: 0 }, settings, (l) => logs.push(l));
});
afterAll(async () => {
  await thread.close();
  db.$client.close();
  cleanup();
});

/** What must not differ between the two: everything but generated ids, clocks and latency. */
const comparable = (r: ScoreReply) =>
  r.map((w) => {
    if (w?.type !== "assessment") return w;
    const { assessmentId: _, createTime: __, metadata, ...row } = w.row;
    const { latency_ms: ___, ...md } = JSON.parse(metadata) as Record<string, string>;
    return { ...w, row: { ...row, metadata: md } };
  });

describe("scoring thread", () => {
  it("answers exactly what scoring in place answers", async () => {
    const exp = newExperiment(ctx, "thread-same");
    for (const [name, className, params] of [
      ["length", "ResponseLength", { max: 20 }],
      ["json", "JsonValid", {}],
      ["pii", "PIILeak", {}],
    ] as const) {
      addScorer(ctx, exp, { name, sampleRate: 1, serialized: serializeBuiltin({ name, className, params }) });
    }
    const ids = await seedTraces(
      ctx,
      exp,
      "thread-same",
      Array.from({ length: 40 }, (_, i) => ({ startMs: Date.UTC(2026, 0, 1) + i, answer: i % 3 ? `call 555-123-45${i % 10}${i % 7}` : '{"ok": true}' })),
    );
    const scorers = [...scorersByName(db, exp, ["length", "json", "pii"]).values()];
    const items = ids.flatMap((traceId) => scorers.map((scorer) => scoreItem({ trace: { traceId, experimentId: exp, timeMs: 0 }, scorer }, 0)));
    items.push({ ...items[0]!, traceId: "tr-ffffffffffffffffffffffffffffffff" }); // a trace that does not exist
    const req = { items, jobId: "job-1" };
    const inThread = await thread.score(req);
    const inPlace = await inlineCodeScorer(db.$client, settings).score(req);
    expect(comparable(inThread)).toEqual(comparable(inPlace));
    expect(inThread.at(-1)).toBeNull();
    expect(inThread.filter((w) => w?.type === "assessment")).toHaveLength(120);
  });

  it("cuts off a scorer that blocks the thread, counts its pairs as timed out, and carries on", async () => {
    const exp = newExperiment(ctx, "thread-stuck");
    // Catastrophic backtracking: /(a+)+$/ on "aaaa...a!" runs for far longer than any timeout.
    addScorer(ctx, exp, {
      name: "evil",
      sampleRate: 1,
      serialized: serializeBuiltin({ name: "evil", className: "RegexMatch", params: { pattern: "(a+)+$" } }),
    });
    addScorer(ctx, exp, { name: "json", sampleRate: 1, serialized: serializeBuiltin({ name: "json", className: "JsonValid" }) });
    const [stuckTrace, fineTrace] = (await seedTraces(ctx, exp, "thread-stuck", [
      { startMs: 1, answer: `${"a".repeat(40)}!` },
      { startMs: 2, answer: "{}" },
    ])) as [string, string];
    const by = scorersByName(db, exp, ["evil", "json"]);
    const pair = (traceId: string, name: string) => ({ trace: { traceId, experimentId: exp, timeMs: 0 }, scorer: by.get(name)! });
    const t0 = performance.now();
    const reply = await thread.score({ items: [scoreItem(pair(stuckTrace, "evil"), 0)], jobId: null });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(reply).toEqual([
      { type: "retry", attempts: 1, nextAttemptAt: expect.any(Number), lastError: expect.stringMatching(/blocked its thread/), reason: "timeout" },
    ]);
    expect(logs.some((l) => /restarting/.test(l))).toBe(true);
    // The last allowed attempt becomes an error assessment saying it timed out.
    const last = await thread.score({ items: [scoreItem(pair(stuckTrace, "evil"), 2)], jobId: null });
    expect(last[0]).toMatchObject({ type: "assessment", stage: "failed", reason: ERROR_CODES.timeout });
    // A fresh thread serves the next request.
    const ok = await thread.score({ items: [scoreItem(pair(fineTrace, "json"), 0)], jobId: null });
    expect(ok[0]).toMatchObject({ type: "assessment", stage: "scored", row: { value: '"yes"' } });
  }, 20_000);
});
