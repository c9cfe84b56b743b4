// Dense sampling, bit for bit the same as MLflow's online scoring
// (mlflow/genai/scorers/online/sampler.py, OnlineScorerSampler.sample), so a trace gets the same
// scorers whichever engine scores it. Pure functions: no clock, no I/O.
import { createHash } from "node:crypto";
import { InvalidParameterError } from "@/lib/core/errors";

export interface SampledScorer {
  name: string;
  /** Within [0, 1]. */
  sampleRate: number;
}

export interface FilteredScorer extends SampledScorer {
  /** MLflow search filter; null and "" both mean "every trace". */
  filterString: string | null | undefined;
}

const TWO_POW_256 = 1n << 256n;
const MANTISSA_BITS = 53n;

/**
 * A non-negative bigint divided by 2**256, correctly rounded (round half to even) like Python's
 * `int / int`. Exported for its own conformance vectors: sha256 never lands on a tie by chance,
 * so the rounding edge cases are checked with crafted numerators.
 */
export function bigintOver2Pow256(n: bigint): number {
  if (n < 0n || n > TWO_POW_256) throw new RangeError("numerator must lie in [0, 2**256]");
  if (n === 0n) return 0;
  const bits = BigInt(n.toString(2).length);
  let mantissa = n;
  let exponent = -256n;
  if (bits > MANTISSA_BITS) {
    const drop = bits - MANTISSA_BITS;
    mantissa = n >> drop;
    const rest = n & ((1n << drop) - 1n);
    const half = 1n << (drop - 1n);
    // Round half to even: the quotient Python returns for an exact power-of-two divisor.
    if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n;
    exponent += drop;
  }
  // mantissa has at most 54 bits (2**53 after a carry) and is exactly representable; scaling by
  // a power of two inside the normal range is exact, so no second rounding happens here.
  return Number(mantissa) * 2 ** Number(exponent);
}

/** int(sha256(f"{trace_id}:{scorer_name}").hexdigest(), 16) / 2**256, in [0, 1]. */
export function hashUnit(traceId: string, scorerName: string): number {
  // Python's str.encode() is UTF-8, as is Node's default for strings.
  const hex = createHash("sha256").update(`${traceId}:${scorerName}`, "utf8").digest("hex");
  return bigintOver2Pow256(BigInt(`0x${hex}`));
}

/** Python compares str by code point; JS `<` compares UTF-16 units. Match Python. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function checkScorers(scorers: readonly SampledScorer[]): void {
  const seen = new Set<string>();
  for (const s of scorers) {
    if (!Number.isFinite(s.sampleRate) || s.sampleRate < 0 || s.sampleRate > 1) {
      throw new InvalidParameterError(`Scorer '${s.name}' has sample rate ${s.sampleRate}; it must be within [0, 1].`);
    }
    // MLflow keys rates by name, so a duplicate would silently take the other's rate there.
    if (seen.has(s.name)) throw new InvalidParameterError(`Scorer '${s.name}' appears twice in one sampling group.`);
    seen.add(s.name);
  }
}

/** The waterfall order: sample rate descending, ties by name ascending (code points). */
export function samplingOrder<T extends SampledScorer>(scorers: readonly T[]): T[] {
  return [...scorers].sort((a, b) => b.sampleRate - a.sampleRate || compareCodePoints(a.name, b.name));
}

/**
 * The scorers of one filter group that a trace gets: always a prefix of `samplingOrder`.
 * MLflow's loop: conditional = rate / prev (0 when prev is 0); stop at the first scorer whose
 * hash is strictly greater than its conditional rate; otherwise select it and set prev = rate.
 */
export function selectScorers(traceId: string, scorers: readonly SampledScorer[]): string[] {
  return selectOrdered(traceId, samplingPlan(scorers));
}

/** A group checked and put in sampling order once, for many traces (selectOrdered). */
export function samplingPlan<T extends SampledScorer>(scorers: readonly T[]): T[] {
  checkScorers(scorers);
  return samplingOrder(scorers);
}

/** selectScorers over a samplingPlan. */
export function selectOrdered(traceId: string, ordered: readonly SampledScorer[]): string[] {
  const selected: string[] = [];
  let prev = 1.0;
  for (const s of ordered) {
    const conditional = prev > 0 ? s.sampleRate / prev : 0;
    // The hash lies in [0, 1]: a conditional rate of 1 or more selects without computing it.
    if (conditional < 1 && hashUnit(traceId, s.name) > conditional) break;
    selected.push(s.name);
    prev = s.sampleRate;
  }
  return selected;
}

/** Group key for a filter string: null, undefined and "" are the same group (key ""). */
export function filterKey(filterString: string | null | undefined): string {
  return filterString ?? "";
}

/** Scorers sharing a filter string, in input order; the key is `filterKey(filterString)`. */
export function groupByFilter<T extends FilteredScorer>(scorers: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const s of scorers) {
    const key = filterKey(s.filterString);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/**
 * Samples every filter group for one trace. Returns filterKey -> selected scorer names (empty
 * arrays included, so a caller can count "matched but not sampled"). Whether the trace matches
 * a group's filter is the caller's business: sampling never depends on it.
 */
export function sampleTrace(traceId: string, scorers: readonly FilteredScorer[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [key, group] of groupByFilter(scorers)) result.set(key, selectScorers(traceId, group));
  return result;
}
