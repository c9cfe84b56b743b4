"use server";
// Server actions of the alerts page and the scorer page's rules panel: one lib verb each.
import { revalidatePath } from "next/cache";
import {
  ackAlert,
  cancelSilence,
  createAlertChannel,
  createSilence,
  deleteAlertChannel,
  testAlertChannel,
  updateAlertRule,
  type CreateAlertChannelInput,
} from "@/lib/alerts";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function ackAlertAction(alertId: string): Promise<ActionResult<{ alert_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({ alert_id: ackAlert({ ctx, input: { alert_id: alertId } }).alert_id }));
  revalidatePath("/", "layout");
  return r;
}

export async function silenceAction(input: {
  experimentId: string;
  scorer?: string;
  ruleId?: string;
  duration: string;
  reason: string;
}): Promise<ActionResult<{ silence_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({
    silence_id: createSilence({
      ctx,
      input: { experiment_id: input.experimentId, scorer: input.scorer, rule_id: input.ruleId, duration: input.duration, reason: input.reason },
    }).silence_id,
  }));
  revalidatePath("/", "layout");
  return r;
}

export async function cancelSilenceAction(silenceId: string): Promise<ActionResult<{ silence_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({ silence_id: cancelSilence({ ctx, input: { silence_id: silenceId } }).silence_id }));
  revalidatePath("/", "layout");
  return r;
}

export async function testChannelAction(channelId: string): Promise<ActionResult<{ ok: boolean; http_status: number | null; error: string | null }>> {
  const ctx = await getRequestCtx();
  return runAction(() => testAlertChannel({ ctx, input: { channel_id: channelId } }));
}

export async function setRuleEnabledAction(ruleId: string, enabled: boolean): Promise<ActionResult<{ enabled: boolean }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => ({ enabled: updateAlertRule({ ctx, input: { rule_id: ruleId, enabled } }).enabled }));
  revalidatePath("/", "layout");
  return r;
}

/** The signing secret Vigil made for a webhook comes back once, here; it is never shown again. */
export async function createChannelAction(input: CreateAlertChannelInput): Promise<ActionResult<{ channel_id: string; signing_secret: string | null }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(async () => {
    const made = await createAlertChannel({ ctx, input });
    return { channel_id: made.channel.channel_id, signing_secret: made.signing_secret ?? null };
  });
  revalidatePath("/alerts");
  return r;
}

export async function deleteChannelAction(channelId: string): Promise<ActionResult<{ channel_id: string }>> {
  const ctx = await getRequestCtx();
  const r = await runAction(() => deleteAlertChannel({ ctx, input: { channel_id: channelId } }));
  revalidatePath("/alerts");
  return r;
}
