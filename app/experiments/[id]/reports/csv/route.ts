// CSV download of a report, for the same URL state as the page (scorers, period, end).
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { reportCsvResponse } from "@/app/_lib/report-csv";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getRequestCtx();
  return reportCsvResponse(
    () => ctx,
    () => id,
    new URL(req.url),
  );
}
