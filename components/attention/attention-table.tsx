"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { AttentionRow, AttentionSort } from "@/lib/read/attention/rank-attention";
import { formatCount, formatMs, formatPercent, formatUsd } from "../format";
import { ScorerControls } from "../scorers/scorer-controls";
import { scorerKindLabel } from "../scorers/scorer-state";
import { ScorerStatusChip } from "../scorers/scorer-status";
import type { ScorerActions, ScorerPermissions } from "../scorers/use-scorers";

const SORTS: { key: AttentionSort; label: string }[] = [
  { key: "attention", label: "Problems" },
  { key: "errors", label: "Errors 24 h" },
  { key: "cost", label: "Cost today" },
  { key: "lag", label: "Lag" },
];

/**
 * Scorers ranked for on-call: the problem in words, errors, spend against budget and lag on one
 * line, with Pause right there. Column headers re-sort (a link, so the order survives a reload).
 */
export function AttentionTable({
  rows,
  sort,
  sortBase,
  actions,
  can,
  showExperiment,
}: {
  rows: AttentionRow[];
  sort: AttentionSort;
  /** The page the sort links lead to; `?sort=` is added for all but the default order. */
  sortBase: string;
  actions: ScorerActions;
  can: ScorerPermissions;
  showExperiment: boolean;
}) {
  const router = useRouter();
  const sortHref = (s: AttentionSort) => (s === "attention" ? sortBase : `${sortBase}?sort=${s}`);
  const header = (key: AttentionSort, className?: string) => {
    const s = SORTS.find((x) => x.key === key)!;
    return (
      <th className={className} aria-sort={sort === key ? "descending" : "none"} scope="col">
        <Link href={sortHref(key)} scroll={false} aria-label={`Sort by ${s.label.toLowerCase()}`}>
          {s.label}
          {sort === key ? " ▼" : ""}
        </Link>
      </th>
    );
  };
  if (rows.length === 0) return <div className="empty">No scorers yet. Register one on an experiment&apos;s overview.</div>;
  return (
    <div className="table-wrap">
      <table className="data attention" aria-label="Scorers by what needs attention">
        <thead>
          <tr>
            <th scope="col">Scorer</th>
            {showExperiment && <th scope="col">Experiment</th>}
            <th scope="col">Status</th>
            {header("attention")}
            {header("errors", "num")}
            {header("cost", "num")}
            {header("lag", "num")}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const worst = r.attention[0];
            const href = `/experiments/${r.experimentId}/scorers/${encodeURIComponent(r.scorer.name)}`;
            const judge = r.runtime.kind === "judge";
            return (
              <tr
                key={`${r.experimentId}/${r.scorer.name}`}
                className={worst ? `row-${worst.level}` : ""}
                aria-label={`Scorer ${r.scorer.name} in ${r.experimentName}`}
              >
                <td>
                  <Link href={href} className="name">
                    {r.scorer.name}
                  </Link>
                  <div className="muted small">{scorerKindLabel(r.scorer.kind, r.runtime.kind)}</div>
                </td>
                {showExperiment && (
                  <td>
                    <Link href={`/experiments/${r.experimentId}`}>{r.experimentName}</Link>
                  </td>
                )}
                <td>
                  <ScorerStatusChip scorer={r.scorer} runtime={r.runtime} />
                </td>
                <td className="problem">
                  {worst ? <span className={worst.level}>{worst.text}</span> : <span className="muted">—</span>}
                  {r.attention.length > 1 && <div className="muted small">+{r.attention.length - 1} more</div>}
                </td>
                <td className="num">
                  <span className={r.errors24h ? "bad" : undefined}>{formatCount(r.errors24h)}</span>
                  <div className="muted small">{r.scores24h ? `${formatPercent(r.errors24h, r.scores24h)} of ${formatCount(r.scores24h)}` : "no scores"}</div>
                </td>
                <td className="num">
                  {judge || r.runtime.today.costUsd > 0 ? formatUsd(r.runtime.today.costUsd) : <span className="muted">—</span>}
                  {r.runtime.dailyBudgetUsd !== null && <div className="muted small">of {formatUsd(r.runtime.dailyBudgetUsd)}</div>}
                </td>
                <td className="num">
                  {r.scorer.status !== "STARTED" ? (
                    <span className="muted">—</span>
                  ) : r.lagMs === null ? (
                    <span className="muted">up to date</span>
                  ) : (
                    formatMs(r.lagMs)
                  )}
                </td>
                <td>
                  <ScorerControls
                    scorer={r.scorer}
                    runtime={r.runtime}
                    experimentId={r.experimentId}
                    actions={actions}
                    can={can}
                    onChanged={() => router.refresh()}
                    compact
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
