// A scorer's headline for the report: this period's number, its change against the previous
// period, and whether that change is more than noise, in words. Pure and tested.
import type { WindowComparison } from "@/lib/metrics";
import { formatRate } from "../format";

export interface Headline {
  metricLabel: string;
  value: string;
  /** "+4.2 pts" / "−0.31", or null without a previous value. */
  change: string | null;
  direction: "up" | "down" | "flat" | null;
  verdict: string;
  significant: boolean;
  n: number;
  previous: string | null;
  note: string | null;
}

const minus = "\u2212";

export function prepareHeadline(c: WindowComparison): Headline {
  const isRate = c.metric === "pass_rate" || (c.metric === null && !!c.current.pass_rate);
  const cur = isRate ? c.current.pass_rate : c.current.mean;
  const prev = isRate ? c.previous.pass_rate : c.previous.mean;
  const fmt = (v: number) => (isRate ? formatRate(v) : v.toFixed(2));
  const d = c.difference;
  let change: string | null = null;
  let direction: Headline["direction"] = null;
  if (d !== null) {
    direction = Math.abs(d) < 1e-12 ? "flat" : d > 0 ? "up" : "down";
    const size = isRate ? `${(Math.abs(d) * 100).toFixed(1)} pts` : Math.abs(d).toFixed(2);
    change = `${d > 0 ? "+" : d < 0 ? minus : "±"}${size}`;
  }
  const p = c.test?.p_value;
  const verdict = !cur
    ? "No scores in this period"
    : !prev
      ? "No scores in the previous period to compare with"
      : c.significant
        ? `Significant change (p ${p! < 0.001 ? "< 0.001" : `= ${p!.toFixed(3)}`})`
        : `Within noise (p = ${p === undefined ? "n/a" : p.toFixed(2)})`;
  return {
    metricLabel: isRate ? "Pass rate" : "Mean score",
    value: cur ? fmt(cur.value) : "—",
    change,
    direction,
    verdict,
    significant: c.significant,
    n: cur?.n ?? 0,
    previous: prev ? fmt(prev.value) : null,
    note: c.versions_changed ? "The scorer version changed between the periods: part of the change may be the scorer's." : null,
  };
}
