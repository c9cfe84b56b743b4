"use client";
import Link from "next/link";
import type { ScorerOverview } from "@/lib/read/scorers/get-scorer-overview";
import { formatDateTime } from "../format";
import { ScorerControls } from "./scorer-controls";
import { ScorerStatusChip } from "./scorer-status";
import { samplingText, scorerKindLabel } from "./scorer-state";
import { useScorerOverview, type ScorerActions, type ScorerPermissions } from "./use-scorers";

/** The scorer page's live status line and controls, sharing the overview's cache. */
export function ScorerHeader({
  experimentId,
  name,
  initial,
  actions,
  can,
  versionCount,
}: {
  experimentId: string;
  name: string;
  initial: ScorerOverview;
  actions: ScorerActions;
  can: ScorerPermissions;
  versionCount: number;
}) {
  const q = useScorerOverview(experimentId, initial, actions);
  const row = q.data.rows.find((r) => r.scorer.name === name);
  if (!row) {
    return (
      <div className="alert warn" role="status">
        This scorer no longer exists. <Link href={`/experiments/${experimentId}`}>Back to the overview</Link>
      </div>
    );
  }
  const s = row.scorer;
  return (
    <section aria-label="Status">
      <div className="page-head">
        <div>
          <h2 style={{ margin: "4px 0" }}>
            {s.name} <ScorerStatusChip scorer={s} runtime={row.runtime} />
          </h2>
          <p className="muted" style={{ margin: 0 }}>
            v{s.version} · {scorerKindLabel(s.kind, row.runtime.kind)} · {s.status === "STOPPED" ? "not sampling" : samplingText(s)}
            {s.status === "PAUSED" && s.pausedReason && (
              <>
                {" "}
                · paused{s.pausedBy ? ` by ${s.pausedBy}` : ""}
                {s.pausedAt ? ` at ${formatDateTime(s.pausedAt)}` : ""}: {s.pausedReason}
              </>
            )}
          </p>
        </div>
        <ScorerControls scorer={s} runtime={row.runtime} experimentId={experimentId} actions={actions} can={can} withDelete versionCount={versionCount} />
      </div>
      {row.attention.length > 0 && (
        <ul className="attention-list" aria-label={`Problems with ${s.name}`} style={{ marginBottom: 8 }}>
          {row.attention.map((a) => (
            <li key={a.text} className={a.level}>
              {a.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
