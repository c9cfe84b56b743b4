// Assessment values as ratings two raters can be compared on. Booleans and "yes"/"no" are the same
// verdict (MLflow's judges answer "yes"/"no"; code scorers often return booleans), matched in any
// case; other strings are categories as written; numbers are numeric. Lists, maps and null
// (an error) are not ratings.
import { cohenKappa, type KappaResult } from "./kappa";
import { numericAgreement, type NumericAgreement } from "./numeric";

export type Rating = { kind: "categorical"; key: string } | { kind: "numeric"; value: number };
export type ValueType = Rating["kind"];

export function ratingOf(value: unknown): Rating | null {
  if (typeof value === "boolean") return { kind: "categorical", key: value ? "yes" : "no" };
  if (typeof value === "number") return Number.isFinite(value) ? { kind: "numeric", value } : null;
  if (typeof value === "string") {
    const t = value.trim();
    const lower = t.toLowerCase();
    return { kind: "categorical", key: lower === "yes" || lower === "no" || lower === "unknown" ? lower : t };
  }
  return null;
}

/** A stored value (JSON text) as a rating; malformed text is no rating. */
export function ratingOfJson(json: string | null): Rating | null {
  if (json === null) return null;
  try {
    return ratingOf(JSON.parse(json));
  } catch {
    return null;
  }
}

export type Agreement =
  | { type: "categorical"; n: number; agreement: number | null; kappa: KappaResult }
  | { type: "numeric"; n: number; agreement: number | null; numeric: NumericAgreement }
  | { type: "none"; n: 0; agreement: null; reason: "no_overlap" | "mixed_types" };

/**
 * Agreement over items both raters rated. Categorical when both sides are categorical on every
 * item, numeric when both are numeric; items where the two disagree on the kind make the whole
 * comparison "mixed_types" (a changed value type is a finding, not a number).
 */
export function agreementOf(pairs: readonly (readonly [Rating, Rating])[]): Agreement {
  if (pairs.length === 0) return { type: "none", n: 0, agreement: null, reason: "no_overlap" };
  if (pairs.every(([a, b]) => a.kind === "categorical" && b.kind === "categorical")) {
    const kappa = cohenKappa(pairs.map(([a, b]) => [(a as { key: string }).key, (b as { key: string }).key] as const));
    return { type: "categorical", n: kappa.n, agreement: kappa.agreement, kappa };
  }
  if (pairs.every(([a, b]) => a.kind === "numeric" && b.kind === "numeric")) {
    const numeric = numericAgreement(pairs.map(([a, b]) => [(a as { value: number }).value, (b as { value: number }).value] as const));
    return { type: "numeric", n: numeric.n, agreement: numeric.exact, numeric };
  }
  return { type: "none", n: 0, agreement: null, reason: "mixed_types" };
}

/** Whether two ratings are the same verdict. */
export function sameRating(a: Rating, b: Rating): boolean {
  return a.kind === "categorical" ? b.kind === "categorical" && a.key === b.key : b.kind === "numeric" && a.value === b.value;
}
