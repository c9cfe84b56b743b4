// CSV of a shared report, read with the link's own viewer token (the same URL state as its page).
import { getConfig } from "@/lib/core";
import { shareCtx } from "@/lib/auth";
import { getDb } from "@/lib/runtime/server-ctx";
import { reportCsvResponse } from "@/app/_lib/report-csv";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const config = getConfig();
  let ctx: ReturnType<typeof shareCtx> | undefined;
  const load = () => (ctx ??= shareCtx(getDb(config), config, decodeURIComponent(token)));
  return reportCsvResponse(load, () => String(load().experimentId), new URL(req.url), { "referrer-policy": "no-referrer" });
}
