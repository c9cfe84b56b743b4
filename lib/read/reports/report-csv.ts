// The report as CSV: one row per scorer, version and bucket, then one summary row per scorer,
// written by csv-stringify so quoting is right whatever the scorer names contain.
import { stringify } from "csv-stringify/sync";
import type { Report } from "@/lib/read/reports/report";

export const REPORT_CSV_COLUMNS = [
  "row",
  "scorer",
  "scorer_version",
  "bucket_start_utc",
  "metric",
  "value",
  "ci_low",
  "ci_high",
  "n",
  "assessments",
  "errors",
  "previous_value",
  "change",
  "p_value",
  "significant",
] as const;

type Row = Record<(typeof REPORT_CSV_COLUMNS)[number], string | number | boolean | null>;

const iso = (ms: number) => new Date(ms).toISOString();

export function reportCsvRows(report: Report): Row[] {
  const rows: Row[] = [];
  for (const item of report.items) {
    const c = item.comparison;
    const metric = c.metric ?? (c.current.pass_rate ? "pass_rate" : c.current.mean ? "mean" : null);
    const pick = (s: {
      pass_rate: { value: number; ci_low: number; ci_high: number; n: number } | null;
      mean: { value: number; ci_low: number | null; ci_high: number | null; n: number } | null;
    }) => (metric === "pass_rate" ? s.pass_rate : metric === "mean" ? s.mean : null);
    const blank = { previous_value: null, change: null, p_value: null, significant: null };
    for (const series of item.trend.series) {
      for (const p of series.points) {
        const m = pick(p);
        rows.push({
          row: "bucket",
          scorer: item.scorer,
          scorer_version: series.scorer_version,
          bucket_start_utc: iso(p.bucket_start),
          metric,
          value: m?.value ?? null,
          ci_low: m?.ci_low ?? null,
          ci_high: m?.ci_high ?? null,
          n: m?.n ?? 0,
          assessments: p.count,
          errors: p.errors,
          ...blank,
        });
      }
    }
    const cur = pick(c.current);
    const prev = pick(c.previous);
    rows.push({
      row: "period",
      scorer: item.scorer,
      scorer_version: c.current.scorer_versions.join(" "),
      bucket_start_utc: iso(report.start),
      metric,
      value: cur?.value ?? null,
      ci_low: cur?.ci_low ?? null,
      ci_high: cur?.ci_high ?? null,
      n: cur?.n ?? 0,
      assessments: c.current.count,
      errors: c.current.errors,
      previous_value: prev?.value ?? null,
      change: c.difference,
      p_value: c.test?.p_value ?? null,
      significant: c.test ? c.significant : null,
    });
  }
  return rows;
}

/**
 * OWASP CSV injection: a text cell starting with = + - @ (or tab, carriage return) runs as a formula
 * in a spreadsheet; a leading apostrophe makes it text. Numbers are never text, so -0.5 stays.
 */
export function csvText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Rates and means to 4 decimals (0.8333, not 0.8333333333333334); tiny p-values keep 3 digits. */
export function csvNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  return String(Math.abs(n) >= 0.001 ? +n.toFixed(4) : +n.toPrecision(3));
}

export function reportCsv(report: Report): string {
  return stringify(reportCsvRows(report), {
    header: true,
    columns: [...REPORT_CSV_COLUMNS],
    cast: { boolean: (b) => (b ? "true" : "false"), string: csvText, number: csvNumber },
  });
}

export function reportFilename(report: Report, experimentName: string): string {
  const safe = experimentName.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 60) || "experiment";
  return `vigil-report-${safe}-${iso(report.start).slice(0, 10)}-to-${iso(report.end).slice(0, 10)}.csv`;
}
