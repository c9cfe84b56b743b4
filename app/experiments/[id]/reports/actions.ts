"use server";
// Shared report links: make one (the link is answered once) or revoke one. One lib verb each.
import { revalidatePath } from "next/cache";
import { createReportLink, revokeApiToken } from "@/lib/auth";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function createReportLinkAction(experimentId: string, name: string): Promise<ActionResult<{ token_id: string; path: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => {
    const made = createReportLink({ ctx, input: { experiment_id: experimentId, name } });
    return { token_id: made.token_id, path: made.path };
  });
  revalidatePath(`/experiments/${experimentId}/reports`);
  return r;
}

export async function revokeReportLinkAction(experimentId: string, tokenId: string): Promise<ActionResult<{ token_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({ token_id: revokeApiToken({ ctx, input: { token_id: tokenId } }).token_id }));
  revalidatePath(`/experiments/${experimentId}/reports`);
  return r;
}
