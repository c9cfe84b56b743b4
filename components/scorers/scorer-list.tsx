"use client";
import Link from "next/link";
import type { ScorerOverview, ScorerOverviewRow } from "@/lib/overview/get-scorer-overview";
import { prepareSparkline } from "../charts/prepare-sparkline";
import { Sparkline } from "../charts/sparkline";
import { formatAgo, formatCount, formatMs, formatRate, formatUsd } from "../format";
import { ScorerControls } from "./scorer-controls";
import { ScorerStatusChip } from "./scorer-status";
import { samplingText } from "./scorer-state";
import { useScorerOverview, type ScorerActions, type ScorerPermissions } from "./use-scorers";

/** Every scorer of the experiment as a row; anything wrong is written on the row itself. */
export function ScorerList({ experimentId, initial, actions, can }: { experimentId: string; initial: ScorerOverview; actions: ScorerActions; can: ScorerPermissions }) {
  const q = useScorerOverview(experimentId, initial, actions);
  const data = q.data;
  return (
    <>
      {q.isError && <div className="alert warn" role="status">Could not refresh the scorers ({q.error.message}); showing what was last loaded.</div>}
      {data.rows.length === 0 ? (
        <div className="empty">
          <h3>No scorers yet</h3>
          <p>Register a scorer to score live traffic: a built-in check like response length or PII leaks, or an LLM judge.</p>
          <Link className="btn primary" href={`/experiments/${experimentId}/scorers/new`}>Register a scorer</Link>
        </div>
      ) : (
        <ul className="scorer-list" aria-label="Scorers" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {data.rows.map((row) => <ScorerRow key={row.scorer.name} row={row} now={data.at} experimentId={experimentId} actions={actions} can={can} />)}
        </ul>
      )}
    </>
  );
}

function ScorerRow({ row, now, experimentId, actions, can }: { row: ScorerOverviewRow; now: number; experimentId: string; actions: ScorerActions; can: ScorerPermissions }) {
  const { scorer: s, health: h, attention } = row;
  const worst = attention[0]?.level;
  const spark = prepareSparkline(h.buckets);
  const judge = h.callsToday > 0 || h.budgetUsd !== null;
  return (
    <li className={`scorer-card ${worst === "bad" ? "broken" : worst === "warn" ? "attention" : ""}`} aria-label={`Scorer ${s.name}`}>
      <div className="scorer-row">
        <div>
          <Link className="name" href={`/experiments/${experimentId}/scorers/${encodeURIComponent(s.name)}`}>{s.name}</Link>
          <div className="muted small">v{s.version} · {s.kind === "builtin" ? "built-in" : s.kind}</div>
        </div>
        <div>
          <ScorerStatusChip scorer={s} accountPaused={h.accountPausedReason} />
          {s.status === "PAUSED" && s.pausedReason && <div className="small muted preview" title={s.pausedReason}>{s.pausedReason}</div>}
        </div>
        <div className="small" title={samplingText(s)}>
          <div><strong>{formatRate(s.sampleRate)}</strong> sampled</div>
          <div className="muted preview mono">{s.filterString ?? "all traces"}</div>
        </div>
        <Sparkline data={spark} />
        <dl className="metric" style={{ margin: 0 }}>
          <dt>Scores 24 h</dt>
          <dd>{formatCount(h.scores24h)}{h.passRate24h !== null && <span className="muted small"> · {formatRate(h.passRate24h)} pass</span>}</dd>
        </dl>
        <dl className="metric" style={{ margin: 0 }}>
          <dt>Errors 24 h</dt>
          <dd className={h.errors24h ? "bad" : undefined}>{formatCount(h.errors24h)}</dd>
        </dl>
        <dl className="metric" style={{ margin: 0 }}>
          <dt>{judge ? "Cost today" : "Lag"}</dt>
          <dd>
            {judge ? <>{formatUsd(h.costTodayUsd)}<span className="muted small"> / {h.budgetUsd === null ? "no budget" : formatUsd(h.budgetUsd)}</span></> :
              h.lagMs === null ? <span className="muted">up to date</span> : formatMs(h.lagMs)}
          </dd>
        </dl>
        <ScorerControls scorer={s} experimentId={experimentId} actions={actions} can={can} />
      </div>
      <div className="scorer-foot small muted">
        Last score {formatAgo(h.lastScoredAt, now)}
        {judge && <> · lag {h.lagMs === null ? "none" : formatMs(h.lagMs)}</>}
        {h.pendingTasks > 0 && <> · {formatCount(h.pendingTasks)} queued{h.retryingTasks ? `, ${h.retryingTasks} retrying` : ""}</>}
      </div>
      {attention.length > 0 && (
        <ul className="attention-list" aria-label={`Problems with ${s.name}`}>
          {attention.map((a) => <li key={a.text} className={a.level}>{a.text}</li>)}
        </ul>
      )}
    </li>
  );
}
