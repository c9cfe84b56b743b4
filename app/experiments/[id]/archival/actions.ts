"use server";
import { getArchivalStatus, setArchival, type ArchivalStatus } from "@/lib/archive";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function archivalStatusAction(experimentId: string): Promise<ActionResult<ArchivalStatus>> {
  const ctx = await getRequestCtx();
  return runAction(() => getArchivalStatus({ ctx, input: { experimentId } }).archival[0]!);
}

export async function setArchivalAction(experimentId: string, enabled: boolean, retentionDays: number | null): Promise<ActionResult<ArchivalStatus>> {
  const ctx = await getRequestCtx();
  return runAction(() => setArchival({ ctx, input: { experimentId, enabled, retentionDays } }).archival);
}
