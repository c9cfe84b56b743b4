import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention, maintenanceTick, setArchival } from "@/lib/archive";
import { createAssessment, deleteAssessment, updateAssessment } from "@/lib/assessments";
import type { Ctx } from "@/lib/core";
import { rebuildRollups, wilsonInterval } from "@/lib/metrics";
import { startTestServer, testCtx, type TestServer } from "../helpers/server";
import { expectSameRollups, insertEngineScore, rollupsFromArchive, storedRollups } from "./archive.helpers";
import { addToken, api, createExperiment, seedTraces } from "./mlflow.helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 7, 20, 12);

describe("rollups and trends", () => {
  let s: TestServer;
  let ctx: Ctx;
  let exp: number;
  let ids: string[];
  const quality = new Map<string, string>(); // trace → its v1 quality assessment
  const safety = new Map<string, string>();

  const archiveRows = () =>
    s.db.$client.prepare("SELECT request_time, assessments FROM archived_traces WHERE experiment_id = ?").all(exp) as {
      request_time: number;
      assessments: string;
    }[];
  const expectRollupsMatchArchive = () => {
    const want = rollupsFromArchive(archiveRows());
    expect(want.length).toBeGreaterThan(10);
    expectSameRollups(expect, storedRollups(ctx, exp), want);
  };

  beforeAll(async () => {
    s = await startTestServer();
    ctx = testCtx(s.db, s.config, { now: () => NOW });
    exp = Number(await createExperiment(s, "trends"));
    setArchival({ ctx, input: { experimentId: exp, enabled: true } });
    // 60 traces over the last three days, 70 minutes apart: many hour buckets, three days.
    ids = await seedTraces(
      ctx,
      exp,
      Array.from({ length: 60 }, (_, k) => ({ startMs: NOW - 3 * DAY + k * 70 * 60_000 })),
    );
    // Online scoring, as the engine writes it: a numeric code scorer, a yes/no judge, a boolean.
    ids.forEach((traceId, k) => {
      const at = NOW - 3 * DAY + k * 70 * 60_000 + 120_000;
      quality.set(traceId, insertEngineScore(ctx, { traceId, experimentId: exp, scorer: "quality", version: 1, value: (k % 11) / 10, at }));
      safety.set(
        traceId,
        insertEngineScore(
          ctx,
          k % 13 === 0
            ? { traceId, experimentId: exp, scorer: "safety", version: 1, error: { error_code: "RATE_LIMITED" }, at, judge: true }
            : { traceId, experimentId: exp, scorer: "safety", version: 1, value: k % 4 === 0 ? "no" : "yes", at, judge: true },
        ),
      );
      insertEngineScore(ctx, { traceId, experimentId: exp, scorer: "has_citation", version: 1, value: k % 3 !== 0, at });
    });
    maintenanceTick(ctx);
  });
  afterAll(() => s.close());

  it("keeps rollups equal to a recomputation from the archive after online scoring", () => {
    expectRollupsMatchArchive();
  });

  it("puts a backfill into the past buckets of the traces it scores", () => {
    // A new scorer version backfilled over the first half, scored now, about traces of days ago.
    ids
      .slice(0, 30)
      .forEach((traceId, k) => insertEngineScore(ctx, { traceId, experimentId: exp, scorer: "quality", version: 2, value: k % 2 ? 4 : 5, at: NOW }));
    maintenanceTick(ctx);
    const v2 = storedRollups(ctx, exp).filter((r) => r.scorer_name === "quality" && r.scorer_version === 2);
    expect(v2.reduce((n, r) => n + r.count, 0)).toBe(30);
    expect(Math.max(...v2.map((r) => r.bucket_start))).toBeLessThan(NOW - 1.5 * DAY);
    expectRollupsMatchArchive();
  });

  it("follows updates, human overrides and deletions of assessments", () => {
    updateAssessment({
      ctx,
      input: { trace_id: ids[5]!, assessment_id: quality.get(ids[5]!)!, assessment: { feedback: { value: 0.95 } }, update_mask: "feedback" },
    });
    updateAssessment({
      ctx,
      input: { trace_id: ids[6]!, assessment_id: quality.get(ids[6]!)!, assessment: { assessment_name: "quality_old" }, update_mask: "assessment_name" },
    });
    createAssessment({
      ctx,
      input: {
        trace_id: ids[8]!,
        assessment: {
          assessment_name: "safety",
          source: { source_type: "HUMAN", source_id: "lead@example.com" },
          feedback: { value: "no" },
          overrides: safety.get(ids[8]!)!,
        },
      },
    });
    deleteAssessment({ ctx, input: { trace_id: ids[9]!, assessment_id: quality.get(ids[9]!)! } });
    maintenanceTick(ctx);
    expectRollupsMatchArchive();
    const human = storedRollups(ctx, exp).filter((r) => r.scorer_name === "safety" && r.scorer_version === 0);
    expect(human).toHaveLength(1);
    expect(human[0]).toMatchObject({ count: 1, bool_count: 1, pass_count: 0 });
  });

  it("rebuilds the same rollups from the archive once retention has emptied the hot store", () => {
    const before = storedRollups(ctx, exp);
    expect(rebuildRollups({ ctx, input: { experimentId: exp } })).toMatchObject({ fromArchive: 0, buckets: before.length });
    expectSameRollups(expect, storedRollups(ctx, exp), before);

    setArchival({ ctx, input: { experimentId: exp, enabled: true, retentionDays: 1 } });
    expect(applyRetention({ ctx, input: {} }).deleted).toBeGreaterThan(30);
    s.db.$client.prepare("DELETE FROM metric_rollups WHERE experiment_id = ?").run(exp);
    const r = rebuildRollups({ ctx, input: { experimentId: exp } });
    expect(r.fromArchive).toBeGreaterThan(90);
    expect(r.fromHotStore).toBeGreaterThan(0);
    expectSameRollups(expect, storedRollups(ctx, exp), before);
    expectRollupsMatchArchive();
  });

  it("answers daily and hourly trends per scorer version with sample sizes and 95% intervals", async () => {
    const viewer = addToken(s, "viewer");
    const url = `/api/v1/trends?experiment_id=${exp}&scorer=quality&start=${NOW - 4 * DAY}&end=${NOW}&bucket=day`;
    const r = await api(s, "GET", url, undefined, viewer);
    expect(r.status).toBe(200);
    const t = r.json.trend;
    expect(t).toMatchObject({ experiment_id: String(exp), scorer: "quality", bucket: "day", start: NOW - 4 * DAY, end: NOW });
    expect(t.series.map((x: { scorer_version: number }) => x.scorer_version)).toEqual([1, 2]);
    const want = storedRollups(ctx, exp).filter((x) => x.scorer_name === "quality" && x.scorer_version === 1);
    for (const p of t.series[0].points) {
      expect(p.bucket_start % DAY).toBe(0);
      const hours = want.filter((x) => x.bucket_start >= p.bucket_start && x.bucket_start < p.bucket_start + DAY);
      const n = hours.reduce((a, x) => a + x.num_count, 0);
      expect(p.count).toBe(hours.reduce((a, x) => a + x.count, 0));
      expect(p.mean.n).toBe(n);
      expect(p.mean.value).toBeCloseTo(hours.reduce((a, x) => a + x.num_sum, 0) / n, 12);
      expect(p.mean.ci_low).toBeLessThan(p.mean.value);
      expect(p.mean.ci_high).toBeGreaterThan(p.mean.value);
      expect(p.pass_rate).toBeNull();
    }
    expect(t.series[0].points.reduce((a: number, p: { mean: { n: number } }) => a + p.mean.n, 0)).toBe(58); // 60 - renamed - deleted

    const hourly = await api(s, "GET", `/api/v1/trends?experiment_id=${exp}&scorer=safety&start=${NOW - 4 * DAY}&end=${NOW}&bucket=hour`, undefined, viewer);
    const v1 = hourly.json.trend.series.find((x: { scorer_version: number | null }) => x.scorer_version === 1);
    expect(v1.points.length).toBeGreaterThan(40);
    const p = v1.points.find((x: { pass_rate: unknown }) => x.pass_rate);
    const ci = wilsonInterval(p.pass_rate.passes, p.pass_rate.n)!;
    expect([p.pass_rate.ci_low, p.pass_rate.ci_high]).toEqual([ci.low, ci.high]);
    expect(hourly.json.trend.series.some((x: { scorer_version: number | null }) => x.scorer_version === null)).toBe(true);

    expect((await api(s, "GET", `/api/v1/trends?experiment_id=${exp}&scorer=quality&bucket=week`)).status).toBe(400);
    expect((await api(s, "GET", `/api/v1/trends?experiment_id=${exp}&bucket=day`)).status).toBe(400);
    expect((await api(s, "GET", `/api/v1/trends?experiment_id=${exp}&scorer=quality&start=${NOW}&end=${NOW - DAY}`)).status).toBe(400);
  });

  it("compares the current period with the previous one and lists scorers with data", async () => {
    const r = await api(s, "GET", `/api/v1/trends/compare?experiment_id=${exp}&scorer=safety&scorer_version=1&start=${NOW - 1.5 * DAY}&end=${NOW}`);
    expect(r.status).toBe(200);
    const c = r.json.comparison;
    expect(c).toMatchObject({ metric: "pass_rate", scorer_version: 1, alpha: 0.05, versions_changed: false });
    expect(c.difference).toBeCloseTo(c.current.pass_rate.value - c.previous.pass_rate.value, 12);
    expect(c.test.test).toBe("two_proportion_z");
    expect(c.significant).toBe(c.test.p_value < 0.05);
    expect(c.current.pass_rate.n + c.previous.pass_rate.n).toBeGreaterThan(40);

    const list = await api(s, "GET", `/api/v1/trends/scorers?experiment_id=${exp}`);
    expect(list.json.scorers.map((x: { scorer: string }) => x.scorer)).toEqual(["has_citation", "quality", "quality_old", "safety"]);
    expect(list.json.scorers[1].versions.map((v: { scorer_version: number }) => v.scorer_version)).toEqual([1, 2]);
  });
});
