import Link from "next/link";
import type { AttentionTotals } from "@/lib/read/attention/rank-attention";
import { formatCount, formatUsd } from "../format";

/** The whole deployment in one strip: what runs, what is wrong, what it costs, what is in flight. */
export function AttentionTotalsStrip({ totals, jobsHref }: { totals: AttentionTotals; jobsHref: string | null }) {
  const t = totals;
  const jobs = t.runningJobs + t.queuedJobs;
  return (
    <dl className="kpis" aria-label="Totals">
      <div className="kpi">
        <dt>Scorers running</dt>
        <dd>
          {formatCount(t.running)} <span className="muted small">of {formatCount(t.scorers)}</span>
        </dd>
      </div>
      <div className="kpi">
        <dt>Failing</dt>
        <dd className={t.failing ? "bad" : undefined}>{formatCount(t.failing)}</dd>
      </div>
      <div className="kpi">
        <dt>Paused</dt>
        <dd className={t.paused ? "warn" : undefined}>{formatCount(t.paused)}</dd>
      </div>
      <div className="kpi">
        <dt>Over budget</dt>
        <dd className={t.overBudget ? "bad" : undefined}>
          {formatCount(t.overBudget)}
          {t.nearBudget > 0 && <span className="delta warn">{t.nearBudget} near</span>}
        </dd>
      </div>
      <div className="kpi">
        <dt>Score errors 24 h</dt>
        <dd className={t.errors24h ? "bad" : undefined}>
          {formatCount(t.errors24h)} <span className="muted small">of {formatCount(t.scores24h)}</span>
        </dd>
      </div>
      <div className="kpi">
        <dt>Judge cost today</dt>
        <dd>{formatUsd(t.costTodayUsd)}</dd>
      </div>
      <div className="kpi">
        <dt>Jobs</dt>
        <dd aria-live="polite">
          {jobs === 0 ? (
            <span className="muted" style={{ fontSize: 16, fontWeight: 400 }}>
              none running
            </span>
          ) : (
            <>
              {t.runningJobs > 0 && <span className="job-spinner" aria-hidden />}
              {jobsHref ? <Link href={jobsHref}>{formatCount(t.runningJobs)} running</Link> : `${formatCount(t.runningJobs)} running`}
              {t.queuedJobs > 0 && <span className="muted small"> · {formatCount(t.queuedJobs)} queued</span>}
            </>
          )}
        </dd>
      </div>
    </dl>
  );
}
