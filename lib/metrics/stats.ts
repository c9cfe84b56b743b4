// Interval estimates and tests for trends: pure functions over counts and sums, so they work on
// rollups (which keep n, sum, sum of squares and pass counts) without the raw values.
import erfc from "@stdlib/math-base-special-erfc";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/**
 * Wilson score interval for a proportion: unlike the normal approximation it stays inside
 * [0, 1] and is honest at 0% and 100% and for small samples. Null when n is 0.
 */
export function wilsonInterval(passes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = passes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export interface MeanStats {
  n: number;
  mean: number;
  /** Sample variance (n - 1); 0 when n is 1. */
  variance: number;
}

/** Mean and sample variance from n, sum and sum of squares (clamped: rounding can go below 0). */
export function meanFromSums(n: number, sum: number, sumSq: number): MeanStats | null {
  if (n <= 0) return null;
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)) : 0;
  return { n, mean, variance };
}

/** Normal-approximation interval for a mean, mean ± z·s/√n. Null below two values. */
export function meanInterval(s: MeanStats, z = Z95): Interval | null {
  if (s.n < 2) return null;
  const half = z * Math.sqrt(s.variance / s.n);
  return { low: s.mean - half, high: s.mean + half };
}

export interface TestResult {
  test: "two_proportion_z" | "welch_t";
  statistic: number;
  /** Two-sided. */
  pValue: number;
  df?: number;
}

/** Pooled two-proportion z-test of p1 = p2. Null when a side is empty or nothing varies. */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  return { test: "two_proportion_z", statistic: z, pValue: 2 * normalCdf(-Math.abs(z)) };
}

/**
 * Welch's t-test of mean1 = mean2 without assuming equal variances, with the
 * Welch–Satterthwaite degrees of freedom. Null below two values a side or with no variance.
 */
export function welchTTest(a: MeanStats, b: MeanStats): TestResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  if (se2 === 0) return null;
  const t = (a.mean - b.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { test: "welch_t", statistic: t, pValue: 2 * tCdf(-Math.abs(t), df), df };
}
