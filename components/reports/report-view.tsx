// The quality report as a page shows it, for the experiment's Reports tab and for a shared link
// (/share/<secret>): `here` is where its own links point; a shared one links nowhere else.
import Link from "next/link";
import type { ReactNode } from "react";
import { prepareTrend } from "@/components/charts/prepare-trend";
import { TrendChart } from "@/components/charts/trend-chart";
import { formatCount, formatDateTime } from "@/components/format";
import { PrintButton } from "@/components/reports/print-button";
import { CopyLinkButton } from "@/components/reports/copy-link-button";
import { prepareHeadline } from "@/components/reports/headline";
import { RangeLinks } from "@/components/range-links";
import { REPORT_PERIODS, reportQueryParams, type Report, type ReportPeriod, type ReportQuery } from "@/lib/read";

const PERIODS = Object.keys(REPORT_PERIODS) as ReportPeriod[];

export function ReportView({
  report,
  query,
  here,
  experimentId,
  shared = false,
  children,
}: {
  report: Report;
  query: ReportQuery;
  here: string;
  experimentId: string;
  shared?: boolean;
  children?: ReactNode;
}) {
  const id = experimentId;
  const href = (q: Partial<ReportQuery>) => {
    const p = reportQueryParams({ ...query, ...q });
    return p.size ? `${here}?${p}` : here;
  };
  const chosen = report.items.map((i) => i.scorer);
  const csvHref = `${here}/csv?${reportQueryParams({ ...query, scorers: chosen, end: report.end })}`;

  return (
    <article aria-label="Quality report">
      <div className="page-head">
        <div>
          <h2 style={{ marginTop: 0 }}>Quality report</h2>
          <p className="sub" style={{ marginBottom: 8 }}>
            {formatDateTime(report.start)} – {formatDateTime(report.end)}, against the {REPORT_PERIODS[report.period]} days before.
            {report.fixedEnd ? " Fixed period." : " Rolling: ends now."}
          </p>
        </div>
        <div className="actions no-print">
          <RangeLinks label="Period" values={PERIODS} current={report.period} hrefFor={(v) => href({ period: v })} />
          <a className="btn" href={csvHref} download>
            Download CSV
          </a>
          <PrintButton />
          {report.items.length > 0 && (
            <CopyLinkButton href={href({ scorers: chosen, period: report.period, end: report.end })} label="Copy link to this period" />
          )}
        </div>
      </div>

      {report.available.length > 0 && (
        <details className="panel no-print" style={{ marginBottom: 16 }}>
          <summary>
            Scorers in this report ({chosen.length} of {report.available.length})
          </summary>
          <form method="get" action={here} style={{ marginTop: 8 }}>
            <input type="hidden" name="period" value={report.period} />
            {report.fixedEnd && <input type="hidden" name="end" value={report.end} />}
            <div style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px", marginBottom: 8 }}>
              {report.available.map((s) => (
                <label key={s} style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
                  <input type="checkbox" name="scorers" value={s} defaultChecked={chosen.includes(s)} /> {s}
                </label>
              ))}
            </div>
            <button type="submit" className="btn primary">
              Show
            </button>
          </form>
        </details>
      )}

      {children}

      {report.items.length === 0 ? (
        <div className="empty">
          <h3>No scores to report yet</h3>
          {shared ? (
            <p>Nothing was scored in this period.</p>
          ) : (
            <p>
              Reports summarise what scorers wrote. Register and start a scorer on the <Link href={`/experiments/${id}`}>overview</Link>, or backfill past
              traffic from <Link href={`/experiments/${id}/jobs`}>Jobs</Link>.
            </p>
          )}
        </div>
      ) : (
        <>
          <div className="cards report-cards">
            {report.items.map((item) => {
              const h = prepareHeadline(item.comparison);
              return (
                <section key={item.scorer} className="card" aria-label={`Headline ${item.scorer}`}>
                  <h3>
                    {item.scorer} <span className="muted small">{h.metricLabel}</span>
                  </h3>
                  <div className="headline-value">{h.value}</div>
                  <div className="small">
                    {h.change && <span className={`chip ${h.significant ? (h.direction === "down" ? "bad" : "ok") : ""}`}>{h.change}</span>}{" "}
                    {h.previous && <span className="muted">from {h.previous}</span>}
                  </div>
                  <p className={`small ${h.significant ? "" : "muted"}`} style={{ margin: "6px 0 0" }} data-significant={h.significant}>
                    {h.verdict}
                  </p>
                  <p className="muted small" style={{ margin: "2px 0 0" }}>
                    {formatCount(h.n)} scored · {formatCount(item.comparison.current.errors)} errors
                  </p>
                  {h.note && (
                    <p className="small warn" style={{ margin: "4px 0 0" }}>
                      {h.note}
                    </p>
                  )}
                </section>
              );
            })}
          </div>
          {report.items.map((item) => (
            <section key={item.scorer} className="chart-box" style={{ marginTop: 16 }} aria-label={`Trend ${item.scorer}`}>
              <h3>
                {item.scorer} per {report.bucket}
              </h3>
              <TrendChart data={prepareTrend(item.trend, { start: report.start, end: report.end })} height={220} />
            </section>
          ))}
          <p className="muted small">
            Pass rates are compared with a two-proportion z-test, means with Welch&apos;s t-test, at 5%. Shaded bands are 95% intervals.
          </p>
        </>
      )}
    </article>
  );
}
