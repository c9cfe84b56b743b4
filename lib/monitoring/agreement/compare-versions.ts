import { z } from "zod";
import { NotFoundError, type VerbArgs } from "@/lib/core";
import { activeShadowRow, shadowRows } from "../shadow-store";
import { experimentIdField, nameField, readScorer, requireReader, requireScorerRow, versionField } from "../store";
import { byTrace, loadScores, versionCost, type VersionCost } from "./load";
import { agreementOf, sameRating, type Agreement, type Rating } from "./values";

export const CompareVersionsInput = z.object({
  experiment_id: experimentIdField,
  name: nameField,
  /** Defaults: b = the running shadow (else the newest one), a = the live version (for a decided shadow: the one it shadowed). */
  a: versionField.optional(),
  b: versionField.optional(),
  max_disagreements: z.coerce.number().int().min(0).max(1000).default(100),
});
export type CompareVersionsInput = z.input<typeof CompareVersionsInput>;

export interface VersionSide extends VersionCost {
  version: number;
  role: "live" | "shadow" | "promoted" | "discarded" | "previous";
}

export interface VersionComparison {
  experimentId: string;
  name: string;
  a: VersionSide;
  b: VersionSide;
  /** Traces both versions scored with a value (errors left out). */
  overlap: number;
  agreement: Agreement;
  disagreements: { traceId: string; a: Rating; b: Rating }[];
}

/** How two versions of one scorer agree on the traces both scored. A viewer may read it. */
export function compareVersions({ ctx, input }: VerbArgs<CompareVersionsInput>): VersionComparison {
  const i = CompareVersionsInput.parse(input);
  requireReader(ctx, i.experiment_id);
  const row = requireScorerRow(ctx.db, i.experiment_id, i.name);
  const live = readScorer(ctx.db, row).version!;
  const shadows = shadowRows(ctx.db, row.scorerId);
  const b = i.b ?? activeShadowRow(ctx.db, row.scorerId)?.version ?? shadows[0]?.version;
  if (b === undefined) throw new NotFoundError(`Scorer '${i.name}' has no shadow version to compare; name the versions with 'a' and 'b'.`);
  // A decided shadow is compared with the version it shadowed (after a promotion, live is itself).
  const decided = shadows.find((x) => x.version === b && x.state !== "shadow");
  const a = i.a ?? (decided ? decided.baseVersion : live);
  const role = (v: number): VersionSide["role"] => {
    if (v === live) return "live";
    const s = shadows.find((x) => x.version === v);
    return s ? (s.state === "shadow" ? "shadow" : s.state) : "previous";
  };
  const rows = loadScores(ctx.db, i.experiment_id, i.name);
  const sideA = byTrace(rows, (r) => r.version === a);
  const sideB = byTrace(rows, (r) => r.version === b);
  if (sideA.size === 0 && a !== live && !shadows.some((s) => s.version === a)) {
    throw new NotFoundError(`Scorer '${i.name}' has no assessments of version ${a} in experiment ${i.experiment_id}.`);
  }
  const pairs: [string, Rating, Rating][] = [];
  for (const [traceId, ra] of sideA) {
    const rb = sideB.get(traceId);
    if (ra.rating && rb?.rating) pairs.push([traceId, ra.rating, rb.rating]);
  }
  const agreement = agreementOf(pairs.map(([, x, y]) => [x, y] as const));
  return {
    experimentId: String(i.experiment_id),
    name: row.name,
    a: { version: a, role: role(a), ...versionCost([...sideA.values()]) },
    b: { version: b, role: role(b), ...versionCost([...sideB.values()]) },
    overlap: pairs.length,
    agreement,
    disagreements: pairs
      .filter(([, x, y]) => !sameRating(x, y))
      .slice(0, i.max_disagreements)
      .map(([traceId, x, y]) => ({ traceId, a: x, b: y })),
  };
}
