"use server";
// Shadow versions and labels from the dashboard: each action gets the request's ctx, calls ONE lib
// verb, and maps errors to a result the form shows (the verbs check roles and input).
import { discardShadow, labelTrace, promoteShadow, registerShadow } from "@/lib/monitoring";
import { runAction, type ActionResult } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

export async function registerShadowAction(experimentId: string, name: string, serializedScorer: string): Promise<ActionResult<{ version: number }>> {
  const ctx = await getRequestCtx();
  return runAction(() => ({ version: registerShadow({ ctx, input: { experiment_id: experimentId, name, serialized_scorer: serializedScorer } }).version }));
}

export async function promoteShadowAction(experimentId: string, name: string, version: number, reason?: string): Promise<ActionResult<{ version: number }>> {
  const ctx = await getRequestCtx();
  return runAction(() => ({
    version: promoteShadow({ ctx, input: { experiment_id: experimentId, name, version, reason: reason?.trim() || undefined } }).version!,
  }));
}

export async function discardShadowAction(experimentId: string, name: string, version: number, reason?: string): Promise<ActionResult<{ version: number }>> {
  const ctx = await getRequestCtx();
  return runAction(() => ({
    version: discardShadow({ ctx, input: { experiment_id: experimentId, name, version, reason: reason?.trim() || undefined } }).version,
  }));
}

export async function labelTraceAction(
  traceId: string,
  name: string,
  value: string | number | boolean,
  rationale?: string,
): Promise<ActionResult<{ assessmentId: string }>> {
  const ctx = await getRequestCtx();
  return runAction(() => ({
    assessmentId: labelTrace({ ctx, input: { trace_id: traceId, name, value, rationale: rationale?.trim() || undefined } }).assessment.assessment_id,
  }));
}
