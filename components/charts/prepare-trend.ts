// A scorer's trend (from lib/metrics getTrend) → chart rows: one line per scorer version with
// its 95% interval as a band, on one time axis. Pass rate when the scorer answers yes/no, else
// the mean. The chart draws these rows as they are.
import { formatBucketLabel } from "../format";

interface SummaryIn {
  count: number;
  errors: number;
  mean: { n: number; value: number; ci_low: number | null; ci_high: number | null } | null;
  pass_rate: { n: number; value: number; ci_low: number; ci_high: number } | null;
}

export interface TrendIn {
  bucket: "hour" | "day";
  series: { scorer_version: number | null; points: (SummaryIn & { bucket_start: number })[] }[];
}

export type TrendMetric = "pass_rate" | "mean";

export interface TrendSeries {
  key: string;
  label: string;
  color: string;
}

export type TrendRow = { t: number; label: string } & Record<string, number | [number, number] | string | null>;

export interface TrendChartData {
  metric: TrendMetric | null;
  series: TrendSeries[];
  rows: TrendRow[];
  empty: boolean;
  /** Assessments behind the chart, for the caption. */
  total: number;
  errors: number;
}

const COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

export function prepareTrend(trend: TrendIn): TrendChartData {
  const all = trend.series.flatMap((s) => s.points);
  const metric: TrendMetric | null = all.some((p) => p.pass_rate) ? "pass_rate" : all.some((p) => p.mean) ? "mean" : null;
  const times = all.map((p) => p.bucket_start);
  const spanMs = times.length ? Math.max(...times) - Math.min(...times) : 0;
  // Hourly points over a day or more need the date in their label, not just the hour.
  const bucketMs = trend.bucket === "day" ? 86_400_000 : spanMs >= 86_400_000 ? 6 * 3600_000 : 3600_000;
  const series: TrendSeries[] = trend.series.map((s, i) => ({
    key: `v${s.scorer_version ?? "none"}`,
    label: s.scorer_version === null ? "no version (human / API)" : `version ${s.scorer_version}`,
    color: COLORS[i % COLORS.length]!,
  }));
  const byTime = new Map<number, TrendRow>();
  trend.series.forEach((s, i) => {
    const key = series[i]!.key;
    for (const p of s.points) {
      let row = byTime.get(p.bucket_start);
      if (!row) byTime.set(p.bucket_start, (row = { t: p.bucket_start, label: formatBucketLabel(p.bucket_start, bucketMs) }));
      const m = metric === "pass_rate" ? p.pass_rate : metric === "mean" ? p.mean : null;
      row[key] = m ? m.value : null;
      row[`${key}_band`] = m && m.ci_low !== null && m.ci_high !== null ? [m.ci_low, m.ci_high] : null;
      row[`${key}_n`] = m ? m.n : 0;
    }
  });
  // Every row carries every series key, so a version's line breaks where it has no data.
  const rows = [...byTime.values()]
    .sort((a, b) => a.t - b.t)
    .map((r) => {
      for (const s of series) {
        if (!(s.key in r)) {
          r[s.key] = null;
          r[`${s.key}_band`] = null;
          r[`${s.key}_n`] = 0;
        }
      }
      return r;
    });
  return {
    metric,
    series,
    rows,
    empty: rows.length === 0 || metric === null,
    total: all.reduce((a, p) => a + p.count, 0),
    errors: all.reduce((a, p) => a + p.errors, 0),
  };
}
