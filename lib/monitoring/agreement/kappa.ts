// Cohen's kappa for two raters over the same items, with the large-sample standard error of
// Fleiss, Cohen & Everitt (1969, Psychological Bulletin 72(5)), the one Fleiss, Levin & Paik's
// "Statistical Methods for Rates and Proportions" (ch. 18) gives for an interval around kappa.
// Pure: a list of (a, b) category pairs in, numbers out.

/** z for a two-sided 95% interval (the 0.975 quantile of the standard normal). */
export const Z_95 = 1.959963984540054;

export interface ConfusionMatrix {
  /** Categories, sorted; rows are rater A's, columns rater B's. */
  labels: string[];
  counts: number[][];
}

export type KappaDegenerate = "no_overlap" | "one_class" | "one_rater_constant";

export interface KappaResult {
  n: number;
  /** Observed agreement p_o; null without items. */
  agreement: number | null;
  /** Chance agreement p_e from the two raters' marginals. */
  expected: number | null;
  kappa: number | null;
  se: number | null;
  ci95: [number, number] | null;
  /**
   * Why kappa says little: no items, both raters used one and the same class (p_e = 1: undefined),
   * or one rater gave one answer only (kappa is 0 by construction, so no interval is given).
   */
  degenerate?: KappaDegenerate;
  matrix: ConfusionMatrix;
}

export function confusionMatrix(pairs: readonly (readonly [string, string])[]): ConfusionMatrix {
  const labels = [...new Set(pairs.flatMap(([a, b]) => [a, b]))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const [a, b] of pairs) counts[index.get(a)!]![index.get(b)!]!++;
  return { labels, counts };
}

const clamp = (x: number) => Math.max(-1, Math.min(1, x));

export function cohenKappa(pairs: readonly (readonly [string, string])[]): KappaResult {
  const matrix = confusionMatrix(pairs);
  const n = pairs.length;
  if (n === 0) return { n, agreement: null, expected: null, kappa: null, se: null, ci95: null, degenerate: "no_overlap", matrix };
  const k = matrix.labels.length;
  const p = matrix.counts.map((row) => row.map((c) => c / n));
  const rows = p.map((row) => row.reduce((s, x) => s + x, 0));
  const cols = matrix.labels.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += p[i]![i]!;
    pe += rows[i]! * cols[i]!;
  }
  // Both raters put everything in one class: agreement is total but kappa is 0/0.
  if (1 - pe < 1e-12) return { n, agreement: po, expected: pe, kappa: null, se: null, ci95: null, degenerate: "one_class", matrix };
  const kappa = (po - pe) / (1 - pe);
  const constant = (m: number[]) => m.filter((x) => x > 0).length === 1;
  if (constant(rows) || constant(cols)) return { n, agreement: po, expected: pe, kappa, se: null, ci95: null, degenerate: "one_rater_constant", matrix };
  const q = 1 - kappa;
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) a += p[i]![i]! * (1 - (rows[i]! + cols[i]!) * q) ** 2;
      else b += p[i]![j]! * (cols[i]! + rows[j]!) ** 2;
    }
  }
  const variance = Math.max(0, (a + q * q * b - (kappa - pe * q) ** 2) / (n * (1 - pe) ** 2));
  const se = Math.sqrt(variance);
  return { n, agreement: po, expected: pe, kappa, se, ci95: [clamp(kappa - Z_95 * se), clamp(kappa + Z_95 * se)], matrix };
}
