// LLM judge cost and the UTC day a budget applies to. Pure.
import type { TokenUsage } from "@/scorers";

/** USD per million tokens, by model name (config VIGIL_JUDGE_PRICES). */
export type PriceTable = Record<string, { input: number; output: number }>;

/**
 * The price of a model: an exact name, else the longest configured prefix, so a dated snapshot
 * the provider answers with ("gpt-4o-mini-2024-07-18") is priced like its family.
 */
export function priceFor(model: string, prices: PriceTable): { input: number; output: number } | undefined {
  if (Object.hasOwn(prices, model)) return prices[model];
  let best: string | undefined;
  for (const name of Object.keys(prices)) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : prices[best];
}

/** Estimated cost of one call in USD, or null when the model has no price. */
export function costUsd(usage: TokenUsage, prices: PriceTable): number | null {
  const p = priceFor(usage.model, prices);
  if (!p) return null;
  return (usage.promptTokens * p.input + usage.completionTokens * p.output) / 1_000_000;
}

// The day key of budgets and usage rows lives with the other time helpers (alerts read it too).
export { utcDay } from "@/lib/core/time";

/** The first millisecond of the next UTC day: when a spent daily budget is available again. */
export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Whether a scorer may still spend today. No budget means no limit. */
export function budgetLeft(budgetUsd: number | null | undefined, spentUsd: number): boolean {
  return budgetUsd === null || budgetUsd === undefined || spentUsd < budgetUsd;
}
