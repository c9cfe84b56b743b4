// Display formatting shared by pages; pure so it is unit-tested.
export function formatCount(n: number): string {
  return new Intl.NumberFormat("en-US").format(n);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return "—";
  const p = (100 * part) / whole;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

export function formatAgo(at: number | null | undefined, now: number): string {
  if (!at) return "never";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mar 10, 14:05 UTC": the dashboard shows UTC everywhere so server and browser render the same text. */
export function formatDateTime(ms: number | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${opts.seconds ? `:${pad(d.getUTCSeconds())}` : ""}`;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${time} UTC`;
}

/** A chart axis label for a bucket start: time of day for sub-day buckets, the date otherwise. */
export function formatBucketLabel(ms: number, bucketMs: number): string {
  const d = new Date(ms);
  if (bucketMs >= 86_400_000) return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return bucketMs >= 6 * 3600_000 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hm}` : hm;
}

/** A fraction 0..1 as a percentage with sensible precision. */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || Number.isNaN(r)) return "—";
  const p = r * 100;
  if (p === 0 || p === 100) return `${p}%`;
  return `${p < 1 ? p.toFixed(2) : p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** US dollars with cents, or tenths of a cent for tiny judge costs. */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (v > 0 && v < 0.01) return `$${v.toFixed(4)}`;
  return `$${v.toFixed(2)}`;
}
