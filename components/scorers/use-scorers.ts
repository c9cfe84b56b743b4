"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import type { ActionResult } from "@/lib/read/action-result";
import type { ScorerOverview } from "@/lib/read/scorers/get-scorer-overview";
import { optimisticRuntime, optimisticScorer, type ActionVars, type ScorerActionKind } from "./scorer-state";

/** The server actions the scorer views call, handed down by the page (server references). */
export interface ScorerActions {
  overview: (experimentId: string) => Promise<ActionResult<ScorerOverview>>;
  pause: (experimentId: string, name: string, reason?: string) => Promise<ActionResult<Scorer>>;
  resume: (experimentId: string, name: string) => Promise<ActionResult<Scorer>>;
  start: (experimentId: string, name: string, sampleRate: number, filterString: string | null) => Promise<ActionResult<Scorer>>;
  stop: (experimentId: string, name: string) => Promise<ActionResult<Scorer>>;
  update: (experimentId: string, name: string, sampleRate: number, filterString: string | null) => Promise<ActionResult<Scorer>>;
  remove: (experimentId: string, name: string) => Promise<ActionResult<Scorer>>;
  resumeAccount: (experimentId: string, name: string) => Promise<ActionResult<ScorerRuntime>>;
  budget: (experimentId: string, name: string, dailyBudgetUsd: number | null) => Promise<ActionResult<ScorerRuntime>>;
  validateFilter: (filter: string) => Promise<ActionResult<{ clauses: number }>>;
}

/** What the signed-in person may do, computed on the server from the lifecycle's role table. */
export type ScorerPermissions = Record<ScorerActionKind, boolean>;

/** An action's failure as an Error whose message is the (user-facing) ActionError message. */
export class ActionFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function unwrap<T>(r: ActionResult<T>): T {
  if (r.ok) return r.data;
  throw new ActionFailed(r.error.code, r.error.message, r.error.field);
}

export const scorersKey = (experimentId: string) => ["scorers", experimentId] as const;

/** The scorer overview, kept live: an on-call page must show changes made elsewhere too. */
export function useScorerOverview(experimentId: string, initial: ScorerOverview, actions: ScorerActions) {
  return useQuery({
    queryKey: scorersKey(experimentId),
    queryFn: async () => unwrap(await actions.overview(experimentId)),
    initialData: initial,
    initialDataUpdatedAt: initial.at,
    refetchInterval: 15_000,
  });
}

/** What a one-scorer editor (sampling, budget) is handed by the scorer page. */
export interface ScorerEditorProps {
  experimentId: string;
  name: string;
  initial: ScorerOverview;
  actions: ScorerActions;
  can: ScorerPermissions;
}

/**
 * One scorer's row, live (`row`, for what the form compares against) and as the server rendered
 * it (`rendered`, what the form's fields start from, never an older cached copy).
 */
export function useScorerRow({ experimentId, name, initial, actions }: Omit<ScorerEditorProps, "can">) {
  const q = useScorerOverview(experimentId, initial, actions);
  return { row: q.data.rows.find((r) => r.scorer.name === name), rendered: initial.rows.find((r) => r.scorer.name === name) };
}

function call(actions: ScorerActions, experimentId: string, kind: ScorerActionKind, v: ActionVars): Promise<ActionResult<unknown>> {
  switch (kind) {
    case "pause":
      return actions.pause(experimentId, v.name, v.reason);
    case "resume":
      return actions.resume(experimentId, v.name);
    case "start":
      return actions.start(experimentId, v.name, v.sampleRate ?? 0, v.filterString ?? null);
    case "stop":
      return actions.stop(experimentId, v.name);
    case "update":
      return actions.update(experimentId, v.name, v.sampleRate ?? 0, v.filterString ?? null);
    case "delete":
      return actions.remove(experimentId, v.name);
    case "resumeAccount":
      return actions.resumeAccount(experimentId, v.name);
    case "budget":
      return actions.budget(experimentId, v.name, v.dailyBudgetUsd ?? null);
  }
}

/**
 * One lifecycle action with an optimistic update: the row changes the moment it is confirmed,
 * rolls back if the server refuses, and is refetched either way.
 */
export function useScorerAction(experimentId: string, kind: ScorerActionKind, actions: ScorerActions) {
  const qc = useQueryClient();
  const key = scorersKey(experimentId);
  return useMutation({
    mutationFn: async (v: ActionVars) => unwrap(await call(actions, experimentId, kind, v)),
    onMutate: async (v) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<ScorerOverview>(key);
      if (before) {
        const rows = before.rows.flatMap((r) => {
          if (r.scorer.name !== v.name) return [r];
          const next = optimisticScorer(r.scorer, kind, v);
          return next ? [{ ...r, scorer: next, runtime: optimisticRuntime(r.runtime, kind, v) }] : [];
        });
        qc.setQueryData<ScorerOverview>(key, { ...before, rows });
      }
      return { before };
    },
    onError: (_e, _v, context) => {
      if (context?.before) qc.setQueryData(key, context.before);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
}
