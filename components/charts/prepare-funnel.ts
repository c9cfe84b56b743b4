// The engine's funnel of one scorer → bars of a funnel: matched → sampled → scored / failed /
// skipped, each as a share of what the filter matched, and the reasons behind failures and skips.
export interface FunnelIn {
  stages: { matched: number; sampled: number; scored: number; failed: number; skipped: number; retried: number };
  reasons: { stage: "failed" | "skipped" | "retried"; reason: string; count: number }[];
}

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  /** Bar width: share of matched traces, 0..100. */
  pct: number;
  tone: "" | "ok" | "bad" | "warn";
}

export interface FunnelChartData {
  steps: FunnelStep[];
  reasons: { label: string; count: number; tone: "bad" | "warn" | "" }[];
  empty: boolean;
  /** Sampled pairs not yet scored, failed or skipped: work in flight. */
  inFlight: number;
}

const STAGE_LABEL = { failed: "Failed", skipped: "Skipped", retried: "Retried" } as const;

export function prepareFunnel(f: FunnelIn): FunnelChartData {
  const s = f.stages;
  const base = Math.max(s.matched, s.sampled, 1);
  const pct = (n: number) => Math.min(100, (100 * n) / base);
  const steps: FunnelStep[] = [
    { key: "matched", label: "Matched by filter", count: s.matched, pct: pct(s.matched), tone: "" },
    { key: "sampled", label: "Sampled", count: s.sampled, pct: pct(s.sampled), tone: "" },
    { key: "scored", label: "Scored", count: s.scored, pct: pct(s.scored), tone: "ok" },
    { key: "failed", label: "Failed", count: s.failed, pct: pct(s.failed), tone: "bad" },
    { key: "skipped", label: "Skipped", count: s.skipped, pct: pct(s.skipped), tone: "warn" },
  ];
  return {
    steps,
    reasons: f.reasons.map((r) => ({ label: `${STAGE_LABEL[r.stage]}: ${r.reason}`, count: r.count, tone: r.stage === "failed" ? "bad" : r.stage === "skipped" ? "warn" : "" })),
    empty: s.matched === 0 && s.sampled === 0 && s.scored === 0 && s.failed === 0 && s.skipped === 0,
    inFlight: Math.max(0, s.sampled - s.scored - s.failed - s.skipped),
  };
}
