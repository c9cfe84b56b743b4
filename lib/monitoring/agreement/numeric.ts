// Agreement of two numeric raters on the same items: mean difference (B - A) with a 95% interval
// (paired t), and Pearson's correlation. Pure.
import tcdf from "@stdlib/stats-base-dists-t-cdf";

export interface NumericAgreement {
  n: number;
  /** Share of items with exactly the same value. */
  exact: number | null;
  meanA: number | null;
  meanB: number | null;
  /** mean(b - a). */
  meanDifference: number | null;
  meanDifferenceCi95: [number, number] | null;
  /** Pearson's r; null with fewer than 2 items or when either side is constant. */
  correlation: number | null;
}

/** The two-sided 95% t quantile for `df` degrees of freedom, by bisection on stdlib's t CDF. */
export function t975(df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tcdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function numericAgreement(pairs: readonly (readonly [number, number])[]): NumericAgreement {
  const n = pairs.length;
  if (n === 0) return { n, exact: null, meanA: null, meanB: null, meanDifference: null, meanDifferenceCi95: null, correlation: null };
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const as = pairs.map(([a]) => a);
  const bs = pairs.map(([, b]) => b);
  const ds = pairs.map(([a, b]) => b - a);
  const ma = mean(as);
  const mb = mean(bs);
  const md = mean(ds);
  let ci: [number, number] | null = null;
  let correlation: number | null = null;
  if (n >= 2) {
    const sd = Math.sqrt(ds.reduce((s, d) => s + (d - md) ** 2, 0) / (n - 1));
    const half = t975(n - 1) * (sd / Math.sqrt(n));
    ci = [md - half, md + half];
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < n; i++) {
      sab += (as[i]! - ma) * (bs[i]! - mb);
      saa += (as[i]! - ma) ** 2;
      sbb += (bs[i]! - mb) ** 2;
    }
    correlation = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
  }
  const exact = pairs.filter(([a, b]) => a === b).length / n;
  return { n, exact, meanA: ma, meanB: mb, meanDifference: md, meanDifferenceCi95: ci, correlation };
}
