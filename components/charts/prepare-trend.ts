// A scorer's trend (from lib/metrics getTrend) → chart rows: one line per scorer version with
// its 95% interval as a band, on a time axis that spans the chosen window bucket by bucket (a
// bucket without scores is a gap, not skipped). Pass rate when the scorer answers yes/no, else
// the mean. A bucket the window cuts (the current one, or the first) and a bucket with fewer
// than MIN_BUCKET_N scores are marked weak: drawn as a hollow point, without an interval, which
// would only be huge. The chart draws these rows as they are.
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

/** The window the chart spans: [start, end) in ms. */
export interface TrendWindow {
  start: number;
  end: number;
  /** The clock: a bucket still running at `now` is partial even when the window's end is rounded past it. */
  now?: number;
}

export type TrendMetric = "pass_rate" | "mean";

export interface TrendSeries {
  key: string;
  label: string;
  color: string;
}

export type TrendRow = { t: number; label: string; partial: boolean } & Record<string, number | [number, number] | string | boolean | null>;

export interface TrendChartData {
  metric: TrendMetric | null;
  series: TrendSeries[];
  rows: TrendRow[];
  empty: boolean;
  /** The x axis: from the first bucket's start to the window's end (points sit at their bucket's start). */
  domain: [number, number];
  /** Bucket size for tick labels (hourly buckets over more than a day are labelled with their date). */
  labelMs: number;
  /** Whether any point is weak (partial bucket or too few scores), for the caption. */
  weak: boolean;
  /** Assessments behind the chart, for the caption. */
  total: number;
  errors: number;
}

/** Fewer scores than this in a bucket: the point is shown, its interval is not. */
export const MIN_BUCKET_N = 10;
/** More buckets than this are not laid out one by one (a window of years in hours): data buckets only. */
const MAX_BUCKETS = 2_000;
const HOUR = 3600_000;
const DAY = 86_400_000;

const COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

export function prepareTrend(trend: TrendIn, window: TrendWindow): TrendChartData {
  const all = trend.series.flatMap((s) => s.points);
  const metric: TrendMetric | null = all.some((p) => p.pass_rate) ? "pass_rate" : all.some((p) => p.mean) ? "mean" : null;
  const bucketMs = trend.bucket === "day" ? DAY : HOUR;
  const labelMs = trend.bucket === "day" ? DAY : window.end - window.start > DAY ? 6 * HOUR : HOUR;
  const first = Math.floor(window.start / bucketMs) * bucketMs;
  // The window's end is rounded up (to 6 h for a week): the day in progress can end after `now` but not after `end`.
  const cut = Math.min(window.end, window.now ?? window.end);
  const series: TrendSeries[] = trend.series.map((s, i) => ({
    key: `v${s.scorer_version ?? "none"}`,
    label: s.scorer_version === null ? "no version (human / API)" : `version ${s.scorer_version}`,
    color: COLORS[i % COLORS.length]!,
  }));
  const byTime = new Map<number, TrendRow>();
  const rowAt = (t: number) => {
    let row = byTime.get(t);
    if (!row) {
      row = { t, label: formatBucketLabel(t, labelMs), partial: t < window.start || t + bucketMs > cut };
      for (const s of series) Object.assign(row, { [s.key]: null, [`${s.key}_band`]: null, [`${s.key}_n`]: 0, [`${s.key}_weak`]: false });
      byTime.set(t, row);
    }
    return row;
  };
  if ((window.end - first) / bucketMs <= MAX_BUCKETS) for (let t = first; t < window.end; t += bucketMs) rowAt(t);
  let weak = false;
  trend.series.forEach((s, i) => {
    const key = series[i]!.key;
    for (const p of s.points) {
      const row = rowAt(p.bucket_start);
      const m = metric === "pass_rate" ? p.pass_rate : metric === "mean" ? p.mean : null;
      if (!m) continue;
      const isWeak = row.partial || m.n < MIN_BUCKET_N;
      weak ||= isWeak;
      row[key] = m.value;
      row[`${key}_band`] = !isWeak && m.ci_low !== null && m.ci_high !== null ? [m.ci_low, m.ci_high] : null;
      row[`${key}_n`] = m.n;
      row[`${key}_weak`] = isWeak;
    }
  });
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  return {
    metric,
    series,
    rows,
    empty: all.length === 0 || metric === null,
    domain: [Math.min(first, rows[0]?.t ?? first), Math.max(window.end, rows.at(-1)?.t ?? 0)],
    labelMs,
    weak,
    total: all.reduce((a, p) => a + p.count, 0),
    errors: all.reduce((a, p) => a + p.errors, 0),
  };
}
