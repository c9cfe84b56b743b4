// The archive export download URL for a range of UTC days. Pure and tested.
export type ExportFormat = "parquet" | "jsonl";

const DAY = 86_400_000;

/** "2026-03-01" → ms at 00:00 UTC, or null for a malformed date. */
export function utcDayStart(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The REST export for [from 00:00, to 24:00) UTC: both days included. */
export function exportHref(experimentId: string, format: ExportFormat, from: string, to: string): { href: string | null; error: string | null } {
  const start = utcDayStart(from);
  const endDay = utcDayStart(to);
  if (start === null || endDay === null) return { href: null, error: "Choose both dates." };
  if (endDay < start) return { href: null, error: "The end date is before the start date." };
  const p = new URLSearchParams({ experiment_id: experimentId, format, start: String(start), end: String(endDay + DAY) });
  return { href: `/api/v1/archival/export?${p}`, error: null };
}
