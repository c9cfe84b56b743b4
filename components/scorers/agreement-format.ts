// Words and numbers for the agreement panels. Pure; the panels only render what these return.
import type { agreementJson } from "@/lib/monitoring/agreement/json";

type AgreementJson = ReturnType<typeof agreementJson>;

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const num = (x: number, digits = 2) => x.toFixed(digits).replace(/^-0\.0+$/, "0.00");

/** "κ 0.40 (95% 0.15 to 0.65)", or why there is no kappa. */
export function kappaText(a: AgreementJson): string {
  if (a.type === "none") return a.reason === "mixed_types" ? "The versions answer different value types" : "No trace scored by both";
  if (a.type === "numeric") {
    const md = a.mean_difference === null ? "—" : num(a.mean_difference, 3);
    const ci = a.mean_difference_ci95 ? ` (95% ${num(a.mean_difference_ci95[0], 3)} to ${num(a.mean_difference_ci95[1], 3)})` : "";
    return `mean difference ${md}${ci}; r ${a.correlation === null ? "—" : num(a.correlation)}`;
  }
  if (a.kappa === null) return a.degenerate === "one_class" ? "κ undefined: both used one class only" : "κ undefined: no overlap";
  if (a.degenerate === "one_rater_constant") return `κ ${num(a.kappa)} by construction: one side gave one answer only`;
  const ci = a.kappa_ci95 ? ` (95% ${num(a.kappa_ci95[0])} to ${num(a.kappa_ci95[1])})` : "";
  return `κ ${num(a.kappa)}${ci}`;
}

/** Landis & Koch's words for a kappa, so a number reads at 3 a.m. */
export function kappaWord(k: number | null): string {
  if (k === null) return "";
  if (k < 0) return "worse than chance";
  if (k <= 0.2) return "slight";
  if (k <= 0.4) return "fair";
  if (k <= 0.6) return "moderate";
  if (k <= 0.8) return "substantial";
  return "almost perfect";
}

export function costText(usd: number | null, unpriced: number): string {
  if (usd === null) return unpriced > 0 ? "unpriced model" : "—";
  if (usd === 0) return "free (code)";
  return `$${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(4)}`;
}

export const ratingText = (v: string | number | null) => (v === null ? "—" : String(v));
