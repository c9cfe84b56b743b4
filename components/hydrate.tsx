import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * Puts server-loaded data into the browser's query cache under `key`, replacing an older cached
 * copy (from an earlier visit) so a page never shows staler data than the server just rendered.
 */
export function Hydrate({ entries, children }: { entries: { key: readonly unknown[]; data: unknown; at: number }[]; children: ReactNode }) {
  const qc = new QueryClient();
  for (const e of entries) qc.setQueryData(e.key, e.data, { updatedAt: e.at });
  return <HydrationBoundary state={dehydrate(qc)}>{children}</HydrationBoundary>;
}
