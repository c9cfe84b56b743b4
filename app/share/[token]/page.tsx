// A shared report link: the experiment's report, read with the link's own viewer token, and
// nothing else (the layout leaves out navigation on /share/). Revoked or unknown: 404.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { ReportView } from "@/components/reports/report-view";
import { shareCtx, sharePath } from "@/lib/auth";
import { getExperiment } from "@/lib/experiments";
import { getReport, parseReportQuery } from "@/lib/read";
import { getDb } from "@/lib/runtime/server-ctx";
import { getConfig } from "@/lib/core";
import { orNotFound, type SearchParams } from "@/app/_lib/page";

export const dynamic = "force-dynamic";
// The secret is in the address: never send it on as a Referer.
export const metadata: Metadata = { title: "Shared report", referrer: "no-referrer", robots: { index: false, follow: false } };

export default async function SharedReportPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<SearchParams> }) {
  const { token } = await params;
  await headers(); // dynamic per request
  const config = getConfig();
  const ctx = orNotFound(() => shareCtx(getDb(config), config, decodeURIComponent(token)));
  const id = String(ctx.experimentId);
  const query = parseReportQuery(await searchParams);
  const { experiment } = orNotFound(() => getExperiment({ ctx, input: { experiment_id: id } }));
  const report = orNotFound(() => getReport({ ctx, input: { experimentId: id, query } }));
  return (
    <>
      <p className="muted small shared-note">Shared read-only report · {experiment.name}</p>
      <h1>{experiment.name}</h1>
      <ReportView report={report} query={query} here={sharePath(decodeURIComponent(token))} experimentId={id} shared />
    </>
  );
}
