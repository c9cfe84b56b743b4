"use client";
import Link from "next/link";
import type { ScorerOverview, ScorerOverviewRow } from "@/lib/read/scorers/get-scorer-overview";
import { prepareSparkline } from "../charts/prepare-sparkline";
import { Sparkline } from "../charts/sparkline";
import { formatAgo, formatCount, formatMs, formatRate, formatUsd } from "../format";
import { ScorerControls } from "./scorer-controls";
import { ScorerStatusChip } from "./scorer-status";
import { displayStatus, samplingText, scorerKindLabel } from "./scorer-state";
import { useScorerOverview, type ScorerActions, type ScorerPermissions } from "./use-scorers";

/** Every scorer of the experiment as a row; anything wrong is written on the row itself. */
export function ScorerList({
  experimentId,
  initial,
  actions,
  can,
}: {
  experimentId: string;
  initial: ScorerOverview;
  actions: ScorerActions;
  can: ScorerPermissions;
}) {
  const q = useScorerOverview(experimentId, initial, actions);
  const data = q.data;
  return (
    <>
      {q.isError && (
        <div className="alert warn" role="status">
          Could not refresh the scorers ({q.error.message}); showing what was last loaded.
        </div>
      )}
      {data.rows.length === 0 ? (
        <div className="empty">
          <h3>No scorers yet</h3>
          <p>Register a scorer to score live traffic: a built-in check like response length or PII leaks, or an LLM judge.</p>
          <Link className="btn primary" href={`/experiments/${experimentId}/scorers/new`}>
            Register a scorer
          </Link>
        </div>
      ) : (
        <ul className="scorer-list" aria-label="Scorers" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {data.rows.map((row) => (
            <ScorerRow key={row.scorer.name} row={row} now={data.at} experimentId={experimentId} actions={actions} can={can} />
          ))}
        </ul>
      )}
    </>
  );
}

function ScorerRow({
  row,
  now,
  experimentId,
  actions,
  can,
}: {
  row: ScorerOverviewRow;
  now: number;
  experimentId: string;
  actions: ScorerActions;
  can: ScorerPermissions;
}) {
  const { scorer: s, health: h, runtime: r, attention } = row;
  const worst = attention[0]?.level;
  const spark = prepareSparkline(h.buckets);
  const judge = r.kind === "judge" || r.today.calls > 0 || r.dailyBudgetUsd !== null;
  const d = displayStatus(s, r);
  const lag = s.status === "STARTED" ? r.lag.oldestWaitingMs : null;
  return (
    <li className={`scorer-card ${worst === "bad" ? "broken" : worst === "warn" ? "attention" : ""}`} aria-label={`Scorer ${s.name}`}>
      <div className="scorer-row">
        <div>
          <Link className="name" href={`/experiments/${experimentId}/scorers/${encodeURIComponent(s.name)}`}>
            {s.name}
          </Link>
          <div className="muted small">
            v{s.version} · {scorerKindLabel(s.kind, r.kind)}
          </div>
        </div>
        <div>
          <ScorerStatusChip scorer={s} runtime={r} />
          {d.reason && d.key !== "NOT_RUNNABLE" && (
            <div className="small muted preview" title={d.reason}>
              {d.reason}
            </div>
          )}
        </div>
        <div className="small" title={samplingText(s)}>
          <div>
            <strong>{formatRate(s.sampleRate)}</strong> sampled
          </div>
          <div className="muted preview mono">{s.filterString ?? "all traces"}</div>
        </div>
        <Sparkline data={spark} />
        <dl className="metric" style={{ margin: 0 }}>
          <dt title="Scores of the traces of the last 24 hours, by trace time">Scores 24 h</dt>
          <dd>
            {formatCount(h.scores24h)}
            {h.passRate24h !== null ? (
              <div className="muted small">{formatRate(h.passRate24h)} pass</div>
            ) : h.mean24h !== null ? (
              <div className="muted small">mean {h.mean24h.toFixed(2)}</div>
            ) : null}
          </dd>
        </dl>
        <dl className="metric" style={{ margin: 0 }}>
          <dt>Errors 24 h</dt>
          <dd className={h.errors24h ? "bad" : undefined}>{formatCount(h.errors24h)}</dd>
        </dl>
        <dl className="metric" style={{ margin: 0 }}>
          <dt>{judge ? "Cost today" : "Lag"}</dt>
          <dd>
            {judge ? (
              <>
                {formatUsd(r.today.costUsd)}
                <span className="muted small"> / {r.dailyBudgetUsd === null ? "no budget" : formatUsd(r.dailyBudgetUsd)}</span>
              </>
            ) : lag === null ? (
              <span className="muted">{s.status === "STARTED" ? "up to date" : "—"}</span>
            ) : (
              formatMs(lag)
            )}
          </dd>
        </dl>
        <ScorerControls scorer={s} runtime={r} experimentId={experimentId} actions={actions} can={can} />
      </div>
      <div className="scorer-foot small muted">
        Last score {formatAgo(h.lastScoredAt, now)}
        {judge && s.status === "STARTED" && <> · lag {lag === null ? "none" : formatMs(lag)}</>}
        {r.pending.online > 0 && (
          <>
            {" "}
            · {formatCount(r.pending.online)} queued{r.pending.retrying ? `, ${r.pending.retrying} retrying` : ""}
          </>
        )}
        {r.pending.jobs > 0 && <> · {formatCount(r.pending.jobs)} queued for jobs</>}
      </div>
      {attention.length > 0 && (
        <ul className="attention-list" aria-label={`Problems with ${s.name}`}>
          {attention.map((a) => (
            <li key={a.text} className={a.level}>
              {a.text}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
