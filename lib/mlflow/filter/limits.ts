// Bounds on one filter, so the work of evaluating it is bounded: RE2 makes one RLIKE match linear
// in the value, and these cap how many matches, values and pattern characters a filter may ask
// for. They also keep the compiled SQL inside SQLite's limits (bound variables, expression depth),
// which would otherwise surface as a 500 instead of a 400.
export const FILTER_LIMITS = {
  maxFilterChars: 100_000,
  maxClauses: 100,
  maxListValues: 1_000,
  maxPatternChars: 1_000,
  /** Characters LIKE/RLIKE may scan in one evaluation (see withFilterBudget in match.ts). */
  maxScanChars: 20_000_000,
} as const;
