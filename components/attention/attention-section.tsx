// The home page's lead: totals, then every scorer ranked by what needs attention (server part).
import type { Ctx } from "@/lib/core";
import { getAttentionOverview, scorerPermissions, type AttentionSort } from "@/lib/read";
import type { ScorerActions } from "../scorers/use-scorers";
import { AttentionTable } from "./attention-table";
import { AttentionTotalsStrip } from "./attention-totals";

export function AttentionSection({ ctx, sort, experimentId, actions }: { ctx: Ctx; sort?: string; experimentId?: string; actions: ScorerActions }) {
  const o = getAttentionOverview({ ctx, input: { sort: sort as AttentionSort | undefined } });
  const rows = experimentId ? o.rows.filter((r) => r.experimentId === experimentId) : o.rows;
  const base = experimentId ? `/experiments/${experimentId}/scorers` : "/";
  // Jobs link: the one experiment with jobs in flight, else none (the strip still counts them).
  const jobExperiments = [...new Set(rows.filter((r) => r.runtime.pending.jobs > 0).map((r) => r.experimentId))];
  const jobsHref = experimentId ? `/experiments/${experimentId}/jobs` : jobExperiments.length === 1 ? `/experiments/${jobExperiments[0]}/jobs` : null;
  const flagged = rows.filter((r) => r.attention.length > 0).length;
  return (
    <section aria-labelledby="attention-title">
      {!experimentId && (
        <>
          <h1 id="attention-title">Needs attention</h1>
          <p className="sub">
            {flagged === 0 ? "Nothing is wrong right now." : `${flagged} of ${rows.length} scorers need attention, worst first.`} Every scorer of every
            experiment, live figures for the last 24 hours and today&apos;s spend.
          </p>
        </>
      )}
      {experimentId && (
        <h2 id="attention-title" className="sr-only">
          Scorers
        </h2>
      )}
      {!experimentId && <AttentionTotalsStrip totals={o.totals} jobsHref={jobsHref} />}
      <AttentionTable rows={rows} sort={o.sort} sortBase={base} actions={actions} can={scorerPermissions(ctx.actor)} showExperiment={!experimentId} />
    </section>
  );
}
