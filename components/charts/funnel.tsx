import { formatCount } from "../format";
import type { FunnelChartData } from "./prepare-funnel";

/** The funnel as labelled bars (plain HTML: readable by screen readers and in print). */
export function Funnel({ data, jobsHref }: { data: FunnelChartData; jobsHref: string }) {
  if (data.empty) return <div className="empty">The engine has not considered any traces for this scorer in this range.</div>;
  return (
    <div>
      <table className="data funnel" aria-label="Scoring funnel">
        <tbody>
          {data.steps.map((s) => (
            <tr key={s.key}>
              <th scope="row" style={{ width: 150, background: "none", fontSize: 13, color: "var(--text)" }}>
                {s.label}
              </th>
              <td style={{ width: "100%" }}>
                <div className="funnel-track">
                  <span className={`funnel-bar ${s.tone}`} style={{ width: `${Math.max(s.pct, s.count ? 0.5 : 0)}%` }} />
                </div>
              </td>
              <td className="num">{formatCount(s.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" style={{ margin: "6px 0" }}>
        {formatCount(data.notSampled)} matching traces were left out by the sample rate
        {data.filteredOut ? `, ${formatCount(data.filteredOut)} did not match the filter` : ""}.
        {data.inFlight > 0 && ` ${formatCount(data.inFlight)} sampled pairs are still queued.`}
      </p>
      {data.jobs.length > 0 && (
        <>
          <p className="small" style={{ margin: "8px 0 4px", fontWeight: 600 }}>
            Jobs on traces of this range (<a href={jobsHref}>all jobs</a>)
          </p>
          <ul className="attention-list" aria-label="Jobs that ran this scorer">
            {data.jobs.map((j) => (
              <li key={j.jobId} className={j.tone}>
                <span className="mono">{j.jobId.slice(0, 12)}…</span> {j.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {data.reasons.length > 0 && (
        <ul className="attention-list" aria-label="Failures and skips by reason">
          {data.reasons.map((r) => (
            <li key={r.label} className={r.tone}>
              {r.label} — {formatCount(r.count)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
