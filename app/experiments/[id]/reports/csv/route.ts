// CSV download of a report, for the same URL state as the page (scorers, period, end).
import { getExperiment } from "@/lib/experiments";
import { isVigilError } from "@/lib/core";
import { getReport, parseReportQuery, reportCsv, reportFilename } from "@/lib/overview";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getRequestCtx();
  const url = new URL(req.url);
  const query = parseReportQuery({ scorers: url.searchParams.getAll("scorers"), period: url.searchParams.get("period") ?? undefined, end: url.searchParams.get("end") ?? undefined });
  try {
    const { experiment } = getExperiment({ ctx, input: { experiment_id: id } });
    const report = getReport({ ctx, input: { experimentId: id, query } });
    return new Response(reportCsv(report), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${reportFilename(report, experiment.name)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    if (!isVigilError(e)) throw e;
    return new Response(e.message, { status: e.status, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
