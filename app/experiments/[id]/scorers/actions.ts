"use server";
// Scorer server actions: each gets the request's ctx, calls ONE lib verb, and maps errors to a
// result the form shows. Inputs arrive from the browser, so the verbs' zod schemas check them.
import { deleteScorer, pauseScorer, resumeScorer, startScorer, stopScorer, updateScorer, type Scorer } from "@/lib/monitoring";
import { resumeAccountPausedScorer, setScorerBudget, type ScorerRuntime } from "@/lib/engine/runtime";
import { getScorerOverview, registerCatalogScorer, runAction, type ActionResult, type ScorerOverview } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";

// Scorer values are frozen; a plain copy crosses the server-action boundary.
const plain = (s: Scorer): Scorer => ({ ...s });

export async function scorerOverviewAction(experimentId: string): Promise<ActionResult<ScorerOverview>> {
  const ctx = await getRequestCtx();
  return runAction(() => getScorerOverview({ ctx, input: { experimentId } }));
}

export async function pauseScorerAction(experimentId: string, name: string, reason?: string): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(pauseScorer({ ctx, input: { experiment_id: experimentId, name, reason: reason?.trim() || undefined } })));
}

export async function resumeScorerAction(experimentId: string, name: string): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(resumeScorer({ ctx, input: { experiment_id: experimentId, name } })));
}

export async function startScorerAction(experimentId: string, name: string, sampleRate: number, filterString: string | null): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(startScorer({ ctx, input: { experiment_id: experimentId, name, sample_rate: sampleRate, filter_string: filterString } })));
}

export async function stopScorerAction(experimentId: string, name: string): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(stopScorer({ ctx, input: { experiment_id: experimentId, name } })));
}

export async function updateScorerAction(experimentId: string, name: string, sampleRate: number, filterString: string | null): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(updateScorer({ ctx, input: { experiment_id: experimentId, name, sample_rate: sampleRate, filter_string: filterString } })));
}

export async function deleteScorerAction(experimentId: string, name: string): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(deleteScorer({ ctx, input: { experiment_id: experimentId, name } })));
}

export async function registerCatalogScorerAction(
  experimentId: string,
  name: string,
  entry: string,
  params: Record<string, unknown>,
  description?: string,
): Promise<ActionResult<Scorer>> {
  const ctx = await getRequestCtx();
  return runAction(() => plain(registerCatalogScorer({ ctx, input: { experimentId, name, entry, params, description } })));
}

export async function resumeAccountPauseAction(experimentId: string, name: string): Promise<ActionResult<ScorerRuntime>> {
  const ctx = await getRequestCtx();
  return runAction(() => resumeAccountPausedScorer({ ctx, input: { experimentId, scorerName: name } }));
}

export async function setBudgetAction(experimentId: string, name: string, dailyBudgetUsd: number | null): Promise<ActionResult<ScorerRuntime>> {
  const ctx = await getRequestCtx();
  return runAction(() => setScorerBudget({ ctx, input: { experimentId, scorerName: name, dailyBudgetUsd } }));
}
