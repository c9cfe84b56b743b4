import { z } from "zod";
import type { VerbArgs } from "@/lib/core";
import { shadowRows } from "../shadow-store";
import { experimentIdField, nameField, readScorer, requireReader, requireScorerRow } from "../store";
import { byTrace, loadScores, type ScoreRow } from "./load";
import { agreementOf, sameRating, type Agreement, type Rating } from "./values";

/** MLflow's judge alignment (`judge.align(traces)`) needs at least this many labelled traces. */
export const ALIGN_MIN_TRACES = 10;
const DAY_MS = 86_400_000;

export const HumanAgreementInput = z.object({ experiment_id: experimentIdField, name: nameField });
export type HumanAgreementInput = z.input<typeof HumanAgreementInput>;

export interface VersionVsHumans {
  version: number;
  role: "live" | "shadow" | "other";
  /** Traces this version scored that a person labelled. */
  labelled: number;
  agreement: Agreement;
  /** Per UTC day of the label: how many, and the share where the judge said the same. */
  overTime: { day: number; n: number; agreement: number }[];
}

export interface HumanAgreement {
  experimentId: string;
  name: string;
  /** Traces with a person's label under this name. */
  labelledTraces: number;
  alignMinimum: number;
  /** Labels the live version still needs on traces it scored before MLflow's align() can run. */
  missingForAlign: number;
  versions: VersionVsHumans[];
}

function vsHumans(version: number, role: VersionVsHumans["role"], judge: Map<string, ScoreRow>, humans: Map<string, ScoreRow>): VersionVsHumans {
  const pairs: [Rating, Rating, number][] = [];
  for (const [traceId, h] of humans) {
    const j = judge.get(traceId);
    if (j?.rating && h.rating) pairs.push([j.rating, h.rating, h.createTime]);
  }
  const days = new Map<number, { n: number; same: number }>();
  for (const [j, h, at] of pairs) {
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    const d = days.get(day) ?? { n: 0, same: 0 };
    d.n++;
    if (sameRating(j, h)) d.same++;
    days.set(day, d);
  }
  return {
    version,
    role,
    labelled: pairs.length,
    agreement: agreementOf(pairs.map(([j, h]) => [j, h] as const)),
    overTime: [...days].sort(([x], [y]) => x - y).map(([day, d]) => ({ day, n: d.n, agreement: d.same / d.n })),
  };
}

/**
 * A judge measured against people: HUMAN feedback with the judge's name is the ground truth,
 * compared per scorer version (rater A: the judge, rater B: the person; the newest label wins).
 */
export function humanAgreement({ ctx, input }: VerbArgs<HumanAgreementInput>): HumanAgreement {
  const i = HumanAgreementInput.parse(input);
  requireReader(ctx, i.experiment_id);
  const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
  const live = readScorer(ctx.db, row).version!;
  const running = new Set(
    shadowRows(ctx.db, row.scorerId)
      .filter((s) => s.state === "shadow")
      .map((s) => s.version),
  );
  const rows = loadScores(ctx.db, i.experiment_id, i.name);
  const humans = byTrace(rows, (r) => r.human);
  const versions = [...new Set(rows.filter((r) => !r.human && r.version !== null).map((r) => r.version!))].sort((a, b) => b - a);
  const out = versions.map((v) =>
    vsHumans(
      v,
      v === live ? "live" : running.has(v) ? "shadow" : "other",
      byTrace(rows, (r) => r.version === v),
      humans,
    ),
  );
  const liveLabelled = out.find((v) => v.version === live)?.labelled ?? 0;
  return {
    experimentId: String(i.experiment_id),
    name: row.name,
    labelledTraces: humans.size,
    alignMinimum: ALIGN_MIN_TRACES,
    missingForAlign: Math.max(0, ALIGN_MIN_TRACES - liveLabelled),
    versions: out,
  };
}
