import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { activeShadowRow } from "../shadow-store";
import { experimentIdField, nameField, readScorer, requireReader, requireScorerRow } from "../store";
import { byTrace, loadScores, type ScoreRow } from "./load";
import { sameRating, type Rating } from "./values";

export const NeedsLabelsInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  max_results: z.coerce.number().int().min(1).max(500).default(50),
});
export type NeedsLabelsInput = z.input<typeof NeedsLabelsInput>;

export type LabelReason = "disagrees_with_shadow" | "uncertain" | "unlabelled";

export interface LabelCandidate {
  traceId: string;
  reason: LabelReason;
  live: Rating | null;
  shadow: Rating | null;
  scoredAt: number;
}

/**
 * How unsure a judge's own answer is, 0 (sure) to 1: an "unknown" verdict or an error is as
 * unsure as it gets; a number in [0, 1] is least sure near 0.5. Pure.
 */
export function uncertainty(r: Pick<ScoreRow, "rating" | "isError">): number {
  if (r.isError || !r.rating) return 1;
  if (r.rating.kind === "categorical") return r.rating.key === "unknown" ? 1 : 0;
  const v = r.rating.value;
  return v >= 0 && v <= 1 ? 1 - 2 * Math.abs(v - 0.5) : 0;
}

const RANK: Record<LabelReason, number> = { disagrees_with_shadow: 0, uncertain: 1, unlabelled: 2 };

/** Picks and orders the queue: disagreements first, then the most uncertain, then the newest. Pure. */
export function rankCandidates(live: Map<string, ScoreRow>, shadow: Map<string, ScoreRow> | null, labelled: Set<string>, max: number): LabelCandidate[] {
  const out: (LabelCandidate & { u: number })[] = [];
  for (const [traceId, l] of live) {
    if (labelled.has(traceId)) continue;
    const s = shadow?.get(traceId);
    const u = uncertainty(l);
    const reason: LabelReason = l.rating && s?.rating && !sameRating(l.rating, s.rating) ? "disagrees_with_shadow" : u >= 0.5 ? "uncertain" : "unlabelled";
    out.push({ traceId, reason, live: l.rating, shadow: s?.rating ?? null, scoredAt: l.createTime, u });
  }
  out.sort((a, b) => RANK[a.reason] - RANK[b.reason] || b.u - a.u || b.scoredAt - a.scoredAt || (a.traceId < b.traceId ? -1 : 1));
  return out.slice(0, max).map(({ u: _u, ...c }) => c);
}

/** The "needs labels" queue of one judge: unlabelled traces its live version scored, most useful first. */
export function needsLabels({ ctx, input }: VerbArgs<NeedsLabelsInput>): LabelCandidate[] {
  const i = NeedsLabelsInput.parse(input);
  requireReader(ctx, i.experiment_id);
  const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
  const live = readScorer(ctx.db, row).version!;
  const shadow = activeShadowRow(ctx.db, row.scorerId)?.version;
  const rows = loadScores(ctx.db, i.experiment_id, i.name);
  const labelled = new Set(rows.filter((r) => r.human).map((r) => r.traceId));
  return rankCandidates(
    byTrace(rows, (r) => r.version === live),
    shadow === undefined ? null : byTrace(rows, (r) => r.version === shadow),
    labelled,
    i.max_results,
  );
}
