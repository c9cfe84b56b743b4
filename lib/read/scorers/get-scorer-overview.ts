import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { getScorerRuntime, type ScorerRuntime } from "@/lib/engine/runtime";
import { listScorers, type Scorer } from "@/lib/monitoring";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import { scorerAttention, type AttentionItem } from "@/lib/read/attention/scorer-attention";
import { loadScorerHealth, type ScorerHealth } from "@/lib/read/scorers/scorer-health";

export const GetScorerOverviewInput = z.object({ experimentId: experimentIdString });
export type GetScorerOverviewInput = z.input<typeof GetScorerOverviewInput>;

export interface ScorerOverviewRow {
  /** The lifecycle's view: version, sampling config, MLflow status, pause reason. */
  scorer: Scorer;
  /** The engine's view: status and why, spend today, queue, lag. */
  runtime: ScorerRuntime;
  /** The last 24 hours of scores. */
  health: ScorerHealth;
  attention: AttentionItem[];
}

export interface ScorerOverview {
  experimentId: string;
  at: number;
  rows: ScorerOverviewRow[];
}

/** Every scorer of an experiment with its status, live figures and problems: the overview's rows. */
export function getScorerOverview({ ctx, input }: VerbArgs<GetScorerOverviewInput>): ScorerOverview {
  const { experimentId } = GetScorerOverviewInput.parse(input);
  const scorers = listScorers({ ctx, input: { experiment_id: String(experimentId) } });
  const health = loadScorerHealth(ctx, experimentId, scorers);
  const rows = scorers.map((scorer) => {
    const h = health.get(scorer.name)!;
    const runtime = getScorerRuntime({ ctx, input: { experimentId, scorerName: scorer.name } });
    return { scorer: { ...scorer }, runtime, health: h, attention: scorerAttention(runtime, h) };
  });
  return { experimentId: String(experimentId), at: ctx.now(), rows };
}
