// The stakeholder report: chosen scorers over a period, each with its headline number against
// the previous period (and whether the change is more than noise) and its trend. Built from
// lib/metrics (rollups), so a 90-day report over millions of assessments stays a small query.
import { z } from "zod";
import { requireRole, type VerbArgs } from "@/lib/core";
import { compareWindows, getTrend, listTrendScorers, type Trend, type WindowComparison } from "@/lib/metrics";
import { experimentIdString } from "@/lib/mlflow/proto-json";

export const REPORT_PERIODS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type ReportPeriod = keyof typeof REPORT_PERIODS;
const DAY = 86_400_000;
export const MAX_REPORT_SCORERS = 8;

export const ReportQuery = z.object({
  scorers: z.array(z.string().min(1).max(200)).max(MAX_REPORT_SCORERS).default([]),
  /** Left out: the longest period whose previous period holds scores (see defaultPeriod). */
  period: z.enum(["7d", "30d", "90d"]).optional().catch(undefined),
  /** A fixed end (ms), so a shared link shows the same period whenever it is opened. */
  end: z.coerce.number().int().positive().optional().catch(undefined),
});
export type ReportQuery = z.output<typeof ReportQuery>;

/** URL params → query: `scorers` comma-separated (or repeated), `period`, `end`. */
export function parseReportQuery(params: Record<string, string | string[] | undefined>): ReportQuery {
  const raw = params.scorers;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  const one = (k: string) => (Array.isArray(params[k]) ? params[k]![0] : (params[k] as string | undefined));
  return ReportQuery.parse({ scorers: [...new Set(list)].slice(0, MAX_REPORT_SCORERS), period: one("period"), end: one("end") });
}

export function reportQueryParams(q: Partial<ReportQuery>): URLSearchParams {
  const p = new URLSearchParams();
  if (q.scorers?.length) p.set("scorers", q.scorers.join(","));
  if (q.period) p.set("period", q.period);
  if (q.end) p.set("end", String(q.end));
  return p;
}

/**
 * The longest period with something before it to compare with (scores began before its start),
 * so a first look at the report shows a change, not "no previous period"; 7 days otherwise.
 */
export function defaultPeriod(firstScoreMs: number | null, end: number): ReportPeriod {
  if (firstScoreMs === null) return "7d";
  const periods = (Object.keys(REPORT_PERIODS) as ReportPeriod[]).sort((a, b) => REPORT_PERIODS[b] - REPORT_PERIODS[a]);
  return periods.find((p) => firstScoreMs < end - REPORT_PERIODS[p] * DAY) ?? "7d";
}

export interface ReportItem {
  scorer: string;
  comparison: WindowComparison;
  trend: Trend;
}

export interface Report {
  experimentId: string;
  period: ReportPeriod;
  start: number;
  end: number;
  /** Whether `end` is fixed by the URL rather than "now". */
  fixedEnd: boolean;
  bucket: "day";
  available: string[];
  items: ReportItem[];
}

export const GetReportInput = z.object({ experimentId: experimentIdString, query: ReportQuery });
export type GetReportInput = z.input<typeof GetReportInput>;

/** The report for the chosen scorers (all scorers with scores, up to the maximum, when none are chosen). */
export function getReport({ ctx, input }: VerbArgs<GetReportInput>): Report {
  const { experimentId, query } = GetReportInput.parse(input);
  requireRole(ctx.actor, "viewer", experimentId);
  const available = listTrendScorers({ ctx, input: { experimentId } }).scorers.map((s) => s.scorer);
  const chosen = (query.scorers.length ? query.scorers : available).slice(0, MAX_REPORT_SCORERS);
  // Whole UTC days, so the buckets of the chart and the windows of the comparison line up.
  const end = query.end ?? Math.ceil(ctx.now() / 3600_000) * 3600_000;
  const firstScore = ctx.db.$client.prepare("SELECT MIN(bucket_start) FROM metric_rollups WHERE experiment_id = ?").pluck().get(experimentId) as number | null;
  const period = query.period ?? defaultPeriod(firstScore, end);
  const start = end - REPORT_PERIODS[period] * DAY;
  // Daily points read best for stakeholders, whatever the period.
  const bucket = "day" as const;
  const items = chosen.map((scorer) => ({
    scorer,
    comparison: compareWindows({ ctx, input: { experimentId, scorer, start, end } }),
    trend: getTrend({ ctx, input: { experimentId, scorer, start, end, bucket } }),
  }));
  return { experimentId: String(experimentId), period, start, end, fixedEnd: query.end !== undefined, bucket, available, items };
}
