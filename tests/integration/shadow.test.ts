// Shadow versions through the real verbs and engine on a SQLite file: the shadow scores exactly
// the live version's sampled traces, nothing of it reaches points, rollups, trends, scorer health
// or alert figures before promotion, MLflow's routes keep showing the live version, and after
// promotion the trend continues with the new version. Bad requests change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError, parseConfig, type Ctx } from "@/lib/core";
import { listAuditEntries } from "@/lib/audit";
import { hourlySums } from "@/lib/alerts/figures";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { getTrend, processMetricsQueue } from "@/lib/metrics";
import { getReport } from "@/lib/read";
import {
  compareVersions,
  discardShadow,
  humanAgreement,
  labelTrace,
  needsLabels,
  getScorer,
  listScorers,
  listScorerVersions,
  listShadows,
  promoteShadow,
  registerScorer,
  registerShadow,
  startScorer,
  stopScorer,
} from "@/lib/monitoring";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "../helpers/server";
import { drain, engine, expectedPairs, newExperiment, seedTraces } from "./engine.helpers";

const T0 = Date.UTC(2026, 0, 5, 9);
const HOUR = 3_600_000;
let db: Db;
let ctx: Ctx;
let cleanup: () => void;
let clock = T0 + 10 * HOUR;

beforeAll(() => {
  const tmp = tempDbPath("vigil-shadow-");
  cleanup = tmp.cleanup;
  db = openDb(tmp.file);
  ensureDefaultExperiment(db);
  ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file, VIGIL_DEMO: "0" }), { now: () => clock });
});
afterAll(() => {
  db.$client.close();
  cleanup();
});

const rows = <T>(sql: string, ...args: unknown[]) => db.$client.prepare(sql).all(...args) as T[];
const v1 = serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 500 } });
const v2 = serializeBuiltin({ name: "length", className: "ResponseLength", params: { max: 20 } });

describe("a shadow version", () => {
  let exp: number;
  let first: string[];
  const E = () => String(exp);

  beforeAll(async () => {
    exp = newExperiment(ctx, "shadowed");
    registerScorer({ ctx, input: { experiment_id: E(), name: "length", serialized_scorer: v1 } });
    startScorer({ ctx, input: { experiment_id: E(), name: "length", sample_rate: 0.4 } });
    registerScorer({ ctx, input: { experiment_id: E(), name: "other", serialized_scorer: serializeBuiltin({ name: "other", className: "JsonValid" }) } });
    startScorer({ ctx, input: { experiment_id: E(), name: "other", sample_rate: 0.7 } });
    const shadow = registerShadow({ ctx, input: { experiment_id: E(), name: "length", serialized_scorer: v2 } });
    expect(shadow).toMatchObject({ version: 2, baseVersion: 1, state: "shadow", runnable: true });
    first = await seedTraces(
      ctx,
      exp,
      "shadow-a",
      Array.from({ length: 200 }, (_, i) => ({ startMs: T0 + i * 60_000, answer: i % 3 ? "A short one." : "A much longer answer than twenty characters." })),
    );
    await drain(engine(ctx, { batchSize: 50 }));
    processMetricsQueue({ ctx, input: {} });
  });

  it("scores exactly the traces the live version is sampled for, nothing else, and marks its assessments", () => {
    const want = [
      ...expectedPairs(
        first,
        [
          { name: "length", sampleRate: 0.4 },
          { name: "other", sampleRate: 0.7 },
        ],
        () => true,
      ),
    ]
      .filter((p) => p.endsWith("|length"))
      .map((p) => p.split("|")[0])
      .sort();
    expect(want.length).toBeGreaterThan(40);
    const byVersion = (v: number) =>
      rows<{ trace_id: string }>(
        "SELECT trace_id FROM assessments WHERE experiment_id = ? AND name = 'length' AND scorer_version = ? ORDER BY trace_id",
        exp,
        v,
      ).map((r) => r.trace_id);
    expect(byVersion(1)).toEqual(want);
    expect(byVersion(2)).toEqual(want);
    const md = rows<{ metadata: string }>("SELECT metadata FROM assessments WHERE scorer_version = 2 AND experiment_id = ? LIMIT 1", exp)[0]!;
    expect(JSON.parse(md.metadata)).toMatchObject({ "vigil.shadow": "true", scorer_version: "2" });
    // Its funnel is its own; the live scorer's counts only the live version.
    const funnel = rows<{ scorer_name: string; n: number }>(
      "SELECT scorer_name, SUM(count) AS n FROM engine_funnel WHERE experiment_id = ? AND stage = 'scored' GROUP BY scorer_name",
      exp,
    );
    expect(Object.fromEntries(funnel.map((f) => [f.scorer_name, f.n]))).toMatchObject({ length: want.length, "length@v2": want.length });
  });

  it("stays out of points, rollups, trends, scorer health and alert figures", () => {
    expect(rows("SELECT 1 FROM metric_points WHERE experiment_id = ? AND scorer_version = 2", exp)).toHaveLength(0);
    expect(rows("SELECT 1 FROM metric_rollups WHERE experiment_id = ? AND scorer_version = 2", exp)).toHaveLength(0);
    const live = rows<{ n: number }>("SELECT COUNT(*) AS n FROM assessments WHERE experiment_id = ? AND name = 'length' AND scorer_version = 1", exp)[0]!.n;
    const health = rows<{ n: number }>("SELECT COUNT(*) AS n FROM engine_scores WHERE experiment_id = ? AND name = 'length'", exp)[0]!.n;
    expect(health).toBe(live);
    const trend = getTrend({ ctx, input: { experimentId: E(), scorer: "length", start: T0 - HOUR, end: T0 + 9 * HOUR, bucket: "hour" } });
    expect(trend.series.map((s) => s.scorer_version)).toEqual([1]);
    const sums = hourlySums(db.$client, exp, "length", T0 - HOUR, T0 + 9 * HOUR);
    expect(sums.reduce((n, h) => n + h.count, 0)).toBe(live);
    const report = getReport({ ctx, input: { experimentId: E(), query: { scorers: ["length"], period: "7d", end: T0 + 10 * HOUR } } });
    expect(report.items[0]!.comparison.current).toMatchObject({ scorer_versions: [1], count: live });
    expect(report.items[0]!.trend.series.map((x) => x.scorer_version)).toEqual([1]);
  });

  it("is invisible to MLflow's scorer routes until it is promoted", () => {
    expect(getScorer({ ctx, input: { experiment_id: E(), name: "length" } }).version).toBe(1);
    expect(listScorerVersions({ ctx, input: { experiment_id: E(), name: "length" } }).map((s) => s.version)).toEqual([1]);
    expect(listScorers({ ctx, input: { experiment_id: E() } }).find((s) => s.name === "length")!.version).toBe(1);
  });

  it("refuses bad requests clearly and changes nothing", () => {
    const before = rows("SELECT * FROM scorer_shadows ORDER BY scorer_id, version");
    const audit = listAuditEntries({ ctx, input: { experiment_id: E() } }).entries.length;
    const viewer = { ...ctx, actor: { id: "user:v", role: "viewer" as const } };
    expect(() => promoteShadow({ ctx, input: { experiment_id: E(), name: "length", version: 1 } })).toThrow(/not a shadow; it is a registered version/);
    expect(() => promoteShadow({ ctx, input: { experiment_id: E(), name: "length", version: 9 } })).toThrow(NotFoundError);
    expect(() => promoteShadow({ ctx: viewer, input: { experiment_id: E(), name: "length", version: 2 } })).toThrow(PermissionDeniedError);
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "length", serialized_scorer: v1 } })).toThrow(InvalidStateError);
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "other", serialized_scorer: "{" } })).toThrow(/'serialized_scorer'/);
    const session = JSON.stringify({ ...JSON.parse(serializeBuiltin({ name: "other", className: "JsonValid" })), is_session_level_scorer: true });
    expect(() => registerShadow({ ctx, input: { experiment_id: E(), name: "other", serialized_scorer: session } })).toThrow(
      /live version 1 is a trace-level scorer, so its shadow must be one too/,
    );
    stopScorer({ ctx, input: { experiment_id: E(), name: "other" } });
    const stopped = () =>
      registerShadow({
        ctx,
        input: { experiment_id: E(), name: "other", serialized_scorer: serializeBuiltin({ name: "other", className: "JsonValid", params: {} }) + " " },
      });
    expect(stopped).toThrow(/stopped; a shadow scores the live version's sampled traces/);
    startScorer({ ctx, input: { experiment_id: E(), name: "other", sample_rate: 0.7 } });
    expect(() =>
      registerShadow({ ctx, input: { experiment_id: E(), name: "other", serialized_scorer: serializeBuiltin({ name: "other", className: "JsonValid" }) } }),
    ).toThrow(InvalidParameterError);
    expect(rows("SELECT * FROM scorer_shadows ORDER BY scorer_id, version")).toEqual(before);
    // Only the stop and start of 'other' were written.
    expect(listAuditEntries({ ctx, input: { experiment_id: E() } }).entries.length).toBe(audit + 2);
  });

  it("compares the two versions on the traces both scored, with the disagreeing traces", () => {
    const c = compareVersions({ ctx, input: { experiment_id: E(), name: "length" } });
    const both = rows<{ n: number }>("SELECT COUNT(*) AS n FROM assessments WHERE experiment_id = ? AND scorer_version = 2", exp)[0]!.n;
    expect(c).toMatchObject({ a: { version: 1, role: "live", costPerAssessmentUsd: 0 }, b: { version: 2, role: "shadow" }, overlap: both });
    expect(c.agreement.type).toBe("categorical");
    if (c.agreement.type !== "categorical") return;
    // v1 (max 500) says yes to everything: one rater constant, so kappa is 0 and the agreement is v2's yes share.
    const long = c.disagreements.length;
    expect(long).toBeGreaterThan(0);
    expect(c.agreement.agreement).toBeCloseTo((both - long) / both, 12);
    expect(c.agreement.kappa.kappa).toBeCloseTo(0, 12);
    expect(c.agreement.kappa.matrix.labels).toEqual(["no", "yes"]);
    expect(c.agreement.kappa.matrix.counts).toEqual([
      [0, 0],
      [long, both - long],
    ]);
    expect(c.disagreements[0]).toMatchObject({ a: { key: "yes" }, b: { key: "no" } });
  });

  it("takes people's labels as ground truth, per version, and refuses labels of the wrong type", () => {
    const queue = needsLabels({ ctx, input: { experiment_id: E(), name: "length", max_results: 500 } });
    const disagree = queue.filter((q) => q.reason === "disagrees_with_shadow");
    expect(disagree.length).toBe(compareVersions({ ctx, input: { experiment_id: E(), name: "length" } }).disagreements.length);
    expect(queue.slice(0, disagree.length)).toEqual(disagree);
    const agreeing = queue.find((q) => q.reason !== "disagrees_with_shadow")!;
    const before = rows("SELECT assessment_id FROM assessments WHERE source_type = 'HUMAN'");
    expect(() => labelTrace({ ctx, input: { trace_id: agreeing.traceId, name: "length", value: 4 } })).toThrow(/parameter 'value'.*answers categories/);
    expect(() => labelTrace({ ctx, input: { trace_id: agreeing.traceId, name: "length", value: "maybe" } })).toThrow(/parameter 'value'.*yes, no or unknown/);
    expect(() => labelTrace({ ctx, input: { trace_id: agreeing.traceId, name: "nope", value: "yes" } })).toThrow(NotFoundError);
    expect(() =>
      labelTrace({ ctx: { ...ctx, actor: { id: "v", role: "viewer" } }, input: { trace_id: agreeing.traceId, name: "length", value: "yes" } }),
    ).toThrow(PermissionDeniedError);
    expect(rows("SELECT assessment_id FROM assessments WHERE source_type = 'HUMAN'")).toEqual(before);

    // People side with v2: "no" on two long answers, "yes" on a short one.
    const labeller = { ...ctx, actor: { id: "user:ana", role: "operator" as const } };
    for (const q of disagree.slice(0, 2)) labelTrace({ ctx: labeller, input: { trace_id: q.traceId, name: "length", value: "no", rationale: "too long" } });
    labelTrace({ ctx: labeller, input: { trace_id: agreeing.traceId, name: "length", value: true } });
    const h = humanAgreement({ ctx, input: { experiment_id: E(), name: "length" } });
    expect(h).toMatchObject({ labelledTraces: 3, alignMinimum: 10, missingForAlign: 7 });
    const [shadow, live] = h.versions;
    expect(shadow).toMatchObject({ version: 2, role: "shadow", labelled: 3, agreement: { agreement: 1 } });
    expect(live).toMatchObject({ version: 1, role: "live", labelled: 3 });
    expect(live!.agreement.agreement).toBeCloseTo(1 / 3, 12);
    expect(live!.overTime).toEqual([{ day: Math.floor(clock / 86_400_000) * 86_400_000, n: 3, agreement: 1 / 3 }]);
    // Labelled traces leave the queue.
    expect(needsLabels({ ctx, input: { experiment_id: E(), name: "length", max_results: 500 } })).toHaveLength(queue.length - 3);
    const src = rows<{ source_id: string }>("SELECT source_id FROM assessments WHERE source_type = 'HUMAN'");
    expect(src.map((r) => r.source_id)).toEqual(["user:ana", "user:ana", "user:ana"]);
  });

  it("after promotion, MLflow sees it as the latest version and the trend continues with it alone", async () => {
    clock = T0 + 20 * HOUR;
    const live = promoteShadow({ ctx, input: { experiment_id: E(), name: "length", version: 2, reason: "agrees with labels" } });
    expect(live).toMatchObject({ version: 2, status: "STARTED", sampleRate: 0.4 });
    expect(listScorerVersions({ ctx, input: { experiment_id: E(), name: "length" } }).map((s) => s.version)).toEqual([1, 2]);
    expect(listShadows({ ctx, input: { experiment_id: E(), name: "length" } })[0]).toMatchObject({ state: "promoted", decidedAt: clock });
    const entry = listAuditEntries({ ctx, input: { experiment_id: E(), action: "scorer.shadow_promote" } }).entries[0]!;
    expect(entry).toMatchObject({ reason: "agrees with labels", after: { live_version: 2, stopped_version: 1 } });
    expect(() => promoteShadow({ ctx, input: { experiment_id: E(), name: "length", version: 2 } })).toThrow(/not a shadow any more; it was promoted/);

    clock = T0 + 21 * HOUR;
    const second = await seedTraces(
      ctx,
      exp,
      "shadow-b",
      Array.from({ length: 100 }, (_, i) => ({ startMs: T0 + 12 * HOUR + i * 60_000 })),
    );
    await drain(engine(ctx, { batchSize: 50 }));
    processMetricsQueue({ ctx, input: {} });
    const newer = rows<{ v: number; n: number }>(
      `SELECT scorer_version AS v, COUNT(*) AS n FROM assessments WHERE name = 'length' AND trace_id IN (${second.map(() => "?").join(",")}) GROUP BY 1`,
      ...second,
    );
    expect(newer.map((r) => r.v)).toEqual([2]);
    const trend = getTrend({ ctx, input: { experimentId: E(), scorer: "length", start: T0 - HOUR, end: T0 + 15 * HOUR, bucket: "hour" } });
    // null: people's labels, a series of their own (never averaged into a version's).
    expect(trend.series.map((s) => s.scorer_version)).toEqual([null, 1, 2]);
    const [, s1, s2] = trend.series;
    // The line breaks at the version change: v1 only before, v2 only after; no bucket has both.
    expect(Math.max(...s1!.points.map((p) => p.bucket_start))).toBeLessThan(T0 + 12 * HOUR);
    expect(Math.min(...s2!.points.map((p) => p.bucket_start))).toBeGreaterThanOrEqual(T0 + 12 * HOUR);
    expect(s2!.points.reduce((n, p) => n + p.count, 0)).toBe(newer[0]!.n);
    // The report's daily trend keeps one line per version too, and no day of v2 holds a v1 score.
    const report = getReport({ ctx, input: { experimentId: E(), query: { scorers: ["length"], period: "7d", end: T0 + 24 * HOUR } } });
    const daily = report.items[0]!.trend.series;
    expect(daily.map((x) => x.scorer_version)).toEqual([null, 1, 2]);
    expect(daily[1]!.points.reduce((n, p) => n + p.count, 0)).toBe(s1!.points.reduce((n, p) => n + p.count, 0));
    expect(daily[2]!.points.reduce((n, p) => n + p.count, 0)).toBe(newer[0]!.n);
  });

  it("a discarded shadow is audited, stops scoring, and cannot be promoted", async () => {
    const sh = registerShadow({ ctx, input: { experiment_id: E(), name: "length", serialized_scorer: v1 } });
    expect(sh.version).toBe(3);
    const operator = { ...ctx, actor: { id: "user:op", role: "operator" as const } };
    expect(discardShadow({ ctx: operator, input: { experiment_id: E(), name: "length", version: 3 } })).toMatchObject({
      state: "discarded",
      decidedBy: "user:op",
    });
    expect(() => promoteShadow({ ctx, input: { experiment_id: E(), name: "length", version: 3 } })).toThrow(/it was discarded/);
    const third = await seedTraces(
      ctx,
      exp,
      "shadow-c",
      Array.from({ length: 40 }, (_, i) => ({ startMs: T0 + 16 * HOUR + i * 60_000 })),
    );
    await drain(engine(ctx, { batchSize: 50 }));
    expect(rows(`SELECT 1 FROM assessments WHERE scorer_version = 3 AND trace_id IN (${third.map(() => "?").join(",")})`, ...third)).toHaveLength(0);
    expect(listAuditEntries({ ctx, input: { experiment_id: E(), action: "scorer.shadow_discard" } }).entries).toHaveLength(1);
  });
});
