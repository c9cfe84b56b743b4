// What a sample rate would cost a day: the traces the scorer's filter matches per day, times the
// rate, times the average cost of one call. Pure, shared by the server (the cost panel) and the
// sampling form (as the rate is typed).

export interface CostModel {
  /** Traces the filter matched per day, recently (online scoring's funnel). */
  matchedPerDay: number;
  /** Average USD of one judge call, recently; null when nothing was priced yet. */
  costPerCall: number | null;
}

export interface Projection {
  callsPerDay: number;
  /** Null when the cost of a call is not known yet. */
  usdPerDay: number | null;
}

export function projectDailyCost(m: CostModel, rate: number): Projection {
  const callsPerDay = Math.max(0, m.matchedPerDay) * Math.min(1, Math.max(0, rate));
  return { callsPerDay, usdPerDay: m.costPerCall === null ? null : callsPerDay * m.costPerCall };
}
