// The report's CSV download for a URL's state (scorers, period, end): one response for the
// Reports tab and for a shared link, each with its own ctx.
import { isVigilError, type Ctx } from "@/lib/core";
import { getExperiment } from "@/lib/experiments";
import { getReport, parseReportQuery, reportCsv, reportFilename } from "@/lib/read";

export function reportCsvResponse(ctx: () => Ctx, experimentId: () => string, url: URL, extraHeaders: Record<string, string> = {}): Response {
  const query = parseReportQuery({
    scorers: url.searchParams.getAll("scorers"),
    period: url.searchParams.get("period") ?? undefined,
    end: url.searchParams.get("end") ?? undefined,
  });
  try {
    const c = ctx();
    const id = experimentId();
    const { experiment } = getExperiment({ ctx: c, input: { experiment_id: id } });
    const report = getReport({ ctx: c, input: { experimentId: id, query } });
    return new Response(reportCsv(report), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${reportFilename(report, experiment.name)}"`,
        "cache-control": "no-store",
        ...extraHeaders,
      },
    });
  } catch (e) {
    if (!isVigilError(e)) throw e;
    return new Response(e.message, { status: e.status, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
