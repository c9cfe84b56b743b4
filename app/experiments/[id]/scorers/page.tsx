import type { Metadata } from "next";
import Link from "next/link";
import { AttentionSection } from "@/components/attention/attention-section";
import { getExperiment } from "@/lib/experiments";
import { scorerPermissions } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { firstParam, orNotFound, type SearchParams } from "@/app/_lib/page";
import { scorerActions } from "./action-set";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Scorers" };

/** Every scorer of the experiment in one table, sortable by problems, errors, cost and lag. */
export default async function ScorersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const sp = await searchParams;
  const ctx = await getRequestCtx();
  orNotFound(() => getExperiment({ ctx, input: { experiment_id: id } }));
  return (
    <>
      <div className="crumbs">
        <Link href={`/experiments/${id}`}>Overview</Link> / Scorers
      </div>
      <div className="section-head">
        <h2 style={{ marginTop: 0 }}>Scorers</h2>
        {scorerPermissions(ctx.actor).register && (
          <Link className="btn primary" href={`/experiments/${id}/scorers/new`}>
            Register a scorer
          </Link>
        )}
      </div>
      <AttentionSection ctx={ctx} sort={firstParam(sp, "sort")} experimentId={id} actions={scorerActions} />
    </>
  );
}
