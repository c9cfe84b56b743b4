import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { createAssessment } from "@/lib/assessments";
import { loadDemoData } from "@/lib/demo/load-demo";
import { createExperiment } from "@/lib/experiments";
import { processMetricsQueue } from "@/lib/metrics";
import { defaultPeriod, getReport, parseReportQuery, reportQueryParams } from "@/lib/read/reports/report";
import { csvNumber, csvText, REPORT_CSV_COLUMNS, reportCsv, reportFilename } from "@/lib/read/reports/report-csv";

const NOW = Date.UTC(2026, 2, 15, 12);
const DAY = 86_400_000;
let db: Db;
let ctx: Ctx;
let exp: string;

beforeAll(async () => {
  db = openDb(":memory:");
  ctx = { db, config: parseConfig({ DATABASE_URL: ":memory:", VIGIL_DEMO: "0" }), actor: systemActor, now: () => NOW, fetch };
  exp = (await loadDemoData({ ctx, input: { days: 14, perDay: 40 } })).experimentId;
  const traces = db.$client.prepare("SELECT trace_id, request_time FROM traces WHERE experiment_id = ?").all(Number(exp)) as {
    trace_id: string;
    request_time: number;
  }[];
  // "polite" passes 90% of the time in the first week and 40% in the last one: a real drop.
  traces.forEach((t, i) => {
    const recent = t.request_time >= NOW - 7 * DAY;
    const pass = recent ? i % 10 < 4 : i % 10 < 9;
    createAssessment({
      ctx,
      input: {
        trace_id: t.trace_id,
        assessment: { assessment_name: "polite", source: { source_type: "CODE", source_id: "polite" }, feedback: { value: pass ? "yes" : "no" } },
      },
    });
  });
  processMetricsQueue({ ctx, input: { maxTraces: 100_000 } });
});
afterAll(() => db.$client.close());

describe("report query", () => {
  it.each([
    [{}, { scorers: [] }],
    [
      { scorers: "a,b,,a", period: "7d", end: "123" },
      { scorers: ["a", "b"], period: "7d", end: 123 },
    ],
    [{ scorers: ["a", "b,c"], period: "1y", end: "x" }, { scorers: ["a", "b", "c"] }],
  ])("%j", (params, want) => {
    const q = parseReportQuery(params);
    expect(q).toEqual(want);
    expect(parseReportQuery(Object.fromEntries(reportQueryParams(q)))).toEqual(q);
  });
});

describe("defaultPeriod", () => {
  const end = 100 * DAY;
  it.each([
    [null, "7d"],
    [end - 3 * DAY, "7d"],
    [end - 14 * DAY, "7d"],
    [end - 31 * DAY, "30d"],
    [end - 200 * DAY, "90d"],
  ])("first score %s -> %s", (first, want) => expect(defaultPeriod(first, end)).toBe(want));
});

describe("getReport", () => {
  it("opens on a period that has a previous one to compare with", () => {
    // The seeded scores span about two weeks: 30 days would have nothing before it.
    const r = getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({ scorers: "polite" }) } });
    expect(r.period).toBe("7d");
    expect(r.items[0]!.comparison.previous.count).toBeGreaterThan(0);
  });

  it("reports the pass rate, its change against the previous period, and that the drop is significant", () => {
    const r = getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({ scorers: "polite", period: "7d" }) } });
    expect(r.items).toHaveLength(1);
    const c = r.items[0]!.comparison;
    expect(c.metric).toBe("pass_rate");
    expect(c.current.pass_rate!.value).toBeLessThan(0.5);
    expect(c.previous.pass_rate!.value).toBeGreaterThan(0.8);
    expect(c.difference!).toBeLessThan(-0.3);
    expect(c.significant).toBe(true);
    expect(r.bucket).toBe("day");
    expect(r.end - r.start).toBe(7 * DAY);
  });

  it("defaults to every scorer with scores, and answers an empty experiment with nothing", () => {
    expect(getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({}) } }).available).toEqual(["polite"]);
    const empty = createExperiment({ ctx, input: { name: "no-scores" } }).experiment_id;
    const none = getReport({ ctx, input: { experimentId: empty, query: parseReportQuery({}) } });
    expect(none.available).toEqual([]);
    expect(none.items).toEqual([]);
  });
});

describe("reportCsv", () => {
  it("writes one row per bucket and a period summary that a CSV reader reads back", () => {
    const r = getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({ scorers: "polite", period: "30d", end: String(NOW) }) } });
    const rows = parse(reportCsv(r), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...REPORT_CSV_COLUMNS]);
    const buckets = rows.filter((x) => x.row === "bucket");
    const period = rows.find((x) => x.row === "period")!;
    expect(buckets.length).toBeGreaterThan(10);
    expect(buckets.every((b) => b.metric === "pass_rate" && b.scorer === "polite")).toBe(true);
    expect(Number(period.assessments)).toBe(buckets.reduce((s, b) => s + Number(b.assessments), 0));
    // Nothing before the demo's two weeks: no previous value, so no test and no verdict.
    expect(period.previous_value).toBe("");
    expect(period.significant).toBe("");
    const week = getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({ scorers: "polite", period: "7d", end: String(NOW) }) } });
    const weekPeriod = (parse(reportCsv(week), { columns: true }) as Record<string, string>[]).find((x) => x.row === "period")!;
    expect(weekPeriod.significant).toBe("true");
    expect(Number(weekPeriod.change)).toBeLessThan(0);
    // Rounded for people: no value carries more than four decimals.
    for (const k of ["value", "ci_low", "ci_high", "change"] as const) expect(rows.every((x) => !/\.\d{5,}/.test(x[k]!))).toBe(true);
    expect(reportFilename(r, "support agent/prod")).toBe("vigil-report-support_agent_prod-2026-02-13-to-2026-03-15.csv");
  });

  it.each([
    [0.8333333333333334, "0.8333"],
    [12, "12"],
    [-0.05000000001, "-0.05"],
    [0.000012345, "0.0000123"],
    [1.5e-12, "1.5e-12"],
  ])("rounds %d as %s", (n, want) => expect(csvNumber(n)).toBe(want));

  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ["+1+cmd", "'+1+cmd"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["polite", "polite"],
    ["a=b", "a=b"],
  ])("escapes a text cell %j as %j (OWASP CSV injection)", (v, want) => expect(csvText(v)).toBe(want));

  it("never lets a scorer name run as a formula, and keeps negative numbers numeric", () => {
    const r = getReport({ ctx, input: { experimentId: exp, query: parseReportQuery({ scorers: "polite", period: "7d", end: String(NOW) }) } });
    const evil = { ...r, items: r.items.map((i) => ({ ...i, scorer: "=cmd|' /C calc'!A0" })) };
    const rows = parse(reportCsv(evil), { columns: true }) as Record<string, string>[];
    expect(rows.every((x) => x.scorer === "'=cmd|' /C calc'!A0")).toBe(true);
    const period = rows.find((x) => x.row === "period")!;
    expect(Number(period.change)).toBeLessThan(0);
  });
});
