// Latency percentiles from a log-scale histogram: SQLite groups durations into bins 5% wide, so
// p50/p95 over millions of traces cost one GROUP BY, within 5% of the exact value.
export const LATENCY_BIN_RATIO = 1.05;
const LN_RATIO = Math.log(LATENCY_BIN_RATIO);

/** SQL for the bin of a duration column (bin 0 holds durations under 1 ms). */
export function latencyBinSql(column: string): string {
  return `CASE WHEN ${column} < 1 THEN 0 ELSE 1 + CAST(ln(${column}) / ${LN_RATIO} AS INTEGER) END`;
}

/** The same bin in JS, for durations that are not in SQLite (a remote MLflow's traces). */
export function latencyBin(ms: number): number {
  return ms < 1 ? 0 : 1 + Math.trunc(Math.log(ms) / LN_RATIO);
}

/** The upper edge of a bin in ms: reporting the edge errs towards slow, never hides latency. */
export function binUpperMs(bin: number): number {
  return bin === 0 ? 1 : Math.round(Math.exp(bin * LN_RATIO));
}

/** The q-quantile (0..1) of a histogram given as bin → count; null when it is empty. */
export function histogramQuantile(bins: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const c of bins.values()) total += c;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(bin)!;
    if (seen >= rank) return binUpperMs(bin);
  }
  return null;
}
