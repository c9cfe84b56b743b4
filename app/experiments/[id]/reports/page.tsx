import type { Metadata } from "next";
import { ReportView } from "@/components/reports/report-view";
import { SharePanel } from "@/components/reports/share-panel";
import { listReportLinks } from "@/lib/auth";
import { getReport, parseReportQuery } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFound, type SearchParams } from "@/app/_lib/page";
import { createReportLinkAction, revokeReportLinkAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Report" };

export default async function ReportPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  const query = parseReportQuery(await searchParams);
  const ctx = await getRequestCtx();
  const report = orNotFound(() => getReport({ ctx, input: { experimentId: id, query } }));
  const links = ctx.actor.role === "admin" ? listReportLinks({ ctx, input: { experiment_id: id } }) : null;
  return (
    <ReportView report={report} query={query} here={`/experiments/${id}/reports`} experimentId={id}>
      {links && <SharePanel experimentId={id} links={links} create={createReportLinkAction} revoke={revokeReportLinkAction} />}
    </ReportView>
  );
}
