// Merging hourly rollups into wider buckets and turning an aggregate into what a chart reads.
// Pure: the queries around it only fetch hour rows.
import { DAY_MS, HISTOGRAM_BINS, HOUR_MS, NO_VERSION } from "./point-sql";
import { meanFromSums, meanInterval, wilsonInterval } from "./stats";

export type Bucket = "hour" | "day";
export const bucketMs = (b: Bucket) => (b === "hour" ? HOUR_MS : DAY_MS);
/** Start of the UTC hour or day holding `ms`. */
export const bucketStartOf = (ms: number, b: Bucket) => Math.floor(ms / bucketMs(b)) * bucketMs(b);

/** A metric_rollups row, or several summed in SQL (then `histogram` is a JSON list of lists). */
export interface RollupRow {
  scorer_version: number;
  bucket_start: number;
  count: number;
  errors: number;
  num_count: number;
  num_sum: number;
  num_sum_sq: number;
  num_min: number | null;
  num_max: number | null;
  histogram: string;
  bool_count: number;
  pass_count: number;
}

export interface Agg {
  count: number;
  errors: number;
  numCount: number;
  numSum: number;
  numSumSq: number;
  numMin: number | null;
  numMax: number | null;
  histogram: number[];
  boolCount: number;
  passCount: number;
}

export const emptyAgg = (): Agg => ({
  count: 0,
  errors: 0,
  numCount: 0,
  numSum: 0,
  numSumSq: 0,
  numMin: null,
  numMax: null,
  histogram: new Array<number>(HISTOGRAM_BINS).fill(0),
  boolCount: 0,
  passCount: 0,
});

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds a rollup row into an aggregate (mutates and returns `into`). */
export function addRow(into: Agg, r: RollupRow): Agg {
  into.count += r.count;
  into.errors += r.errors;
  into.numCount += r.num_count;
  into.numSum += r.num_sum;
  into.numSumSq += r.num_sum_sq;
  into.numMin = minOf(into.numMin, r.num_min);
  into.numMax = maxOf(into.numMax, r.num_max);
  // One hour's counts, or (grouped in SQL) the list of its hours' counts.
  const h = JSON.parse(r.histogram) as number[] | number[][];
  const lists = Array.isArray(h[0]) ? (h as number[][]) : [h as number[]];
  for (const list of lists) for (let k = 0; k < into.histogram.length; k++) into.histogram[k]! += list[k] ?? 0;
  into.boolCount += r.bool_count;
  into.passCount += r.pass_count;
  return into;
}

/** Groups hour rows by (scorer version, bucket), both ascending. */
export function mergeRows(rows: RollupRow[], bucket: Bucket): Map<number, Map<number, Agg>> {
  const byVersion = new Map<number, Map<number, Agg>>();
  for (const r of rows) {
    let series = byVersion.get(r.scorer_version);
    if (!series) byVersion.set(r.scorer_version, (series = new Map()));
    const start = bucketStartOf(r.bucket_start, bucket);
    let agg = series.get(start);
    if (!agg) series.set(start, (agg = emptyAgg()));
    addRow(agg, r);
  }
  const sorted = new Map([...byVersion.entries()].sort((a, b) => a[0] - b[0]));
  for (const [v, s] of sorted) sorted.set(v, new Map([...s.entries()].sort((a, b) => a[0] - b[0])));
  return sorted;
}

export interface MeanSummary {
  n: number;
  value: number;
  std: number;
  ci_low: number | null;
  ci_high: number | null;
  min: number | null;
  max: number | null;
}

export interface RateSummary {
  n: number;
  passes: number;
  value: number;
  ci_low: number;
  ci_high: number;
}

export interface Summary {
  /** Every valid feedback in the bucket, errors included. */
  count: number;
  errors: number;
  /** Numeric values: mean with a 95% normal interval. */
  mean: MeanSummary | null;
  /** Booleans and "yes"/"no": pass rate with a 95% Wilson interval. */
  pass_rate: RateSummary | null;
  /** Counts of numeric values per bin of HISTOGRAM_EDGES; null without numeric values. */
  histogram: number[] | null;
}

export function summarize(a: Agg): Summary {
  const m = meanFromSums(a.numCount, a.numSum, a.numSumSq);
  const mci = m ? meanInterval(m) : null;
  const rci = wilsonInterval(a.passCount, a.boolCount);
  return {
    count: a.count,
    errors: a.errors,
    mean: m ? { n: m.n, value: m.mean, std: Math.sqrt(m.variance), ci_low: mci?.low ?? null, ci_high: mci?.high ?? null, min: a.numMin, max: a.numMax } : null,
    pass_rate: rci ? { n: a.boolCount, passes: a.passCount, value: a.passCount / a.boolCount, ci_low: rci.low, ci_high: rci.high } : null,
    histogram: a.numCount > 0 ? [...a.histogram] : null,
  };
}

/** The wire form of a stored scorer version: null for human/REST feedback. */
export const versionOut = (v: number): number | null => (v === NO_VERSION ? null : v);
