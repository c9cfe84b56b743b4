// Shadow versions: rows of scorer_shadows and the frozen value the shadow verbs return. A shadow is
// kept apart from scorer_versions so MLflow's routes never see it before it is promoted.
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { scorerShadows, type shadowStates } from "@/db/schema";
import { NotFoundError } from "@/lib/core";
import { resolveScorer, type PayloadKind } from "@/scorers";
import { deepFreeze, type ScorerRow } from "./scorer-value";
import { experimentIdField, nameField, versionField } from "./store";

export type ShadowState = (typeof shadowStates)[number];
export type ShadowRow = typeof scorerShadows.$inferSelect;

export interface ShadowVersion {
  readonly experimentId: string;
  readonly name: string;
  readonly scorerId: string;
  readonly version: number;
  /** The live version it was registered beside. */
  readonly baseVersion: number;
  readonly state: ShadowState;
  readonly serializedScorer: string;
  readonly kind: PayloadKind | "unknown";
  readonly runnable: boolean;
  readonly notRunnableReason?: string;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly decidedAt: number | null;
  readonly decidedBy: string | null;
}

/** The input of promote and discard: which shadow version of which scorer. */
export const ShadowRef = z.object({ experiment_id: experimentIdField, name: nameField, version: versionField, reason: z.string().max(500).optional() });
export type ShadowRef = z.input<typeof ShadowRef>;

export function shadowValue(scorer: ScorerRow, r: ShadowRow): ShadowVersion {
  const resolved = resolveScorer(r.serializedScorer);
  return deepFreeze({
    experimentId: String(scorer.experimentId),
    name: scorer.name,
    scorerId: r.scorerId,
    version: r.version,
    baseVersion: r.baseVersion,
    state: r.state,
    serializedScorer: r.serializedScorer,
    ...(resolved.runnable
      ? { kind: resolved.kind, runnable: true }
      : { kind: resolved.kind ?? "unknown", runnable: false, notRunnableReason: resolved.reason }),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
  });
}

export function findShadowRow(db: Db, scorerId: string, version: number): ShadowRow | undefined {
  return db
    .select()
    .from(scorerShadows)
    .where(and(eq(scorerShadows.scorerId, scorerId), eq(scorerShadows.version, version)))
    .get();
}

/** The scorer's shadow that is running now, if any (there is at most one). */
export function activeShadowRow(db: Db, scorerId: string): ShadowRow | undefined {
  return db
    .select()
    .from(scorerShadows)
    .where(and(eq(scorerShadows.scorerId, scorerId), eq(scorerShadows.state, "shadow")))
    .get();
}

/** Every shadow a scorer has had, newest first. */
export function shadowRows(db: Db, scorerId: string): ShadowRow[] {
  return db.select().from(scorerShadows).where(eq(scorerShadows.scorerId, scorerId)).orderBy(desc(scorerShadows.version)).all();
}

export function shadowNotFound(name: string, experimentId: number, version: number): NotFoundError {
  return new NotFoundError(`Scorer '${name}' has no version ${version} in experiment ${experimentId}.`);
}

export function toShadowJson(s: ShadowVersion) {
  return {
    experiment_id: s.experimentId,
    name: s.name,
    scorer_id: s.scorerId,
    version: s.version,
    base_version: s.baseVersion,
    state: s.state,
    serialized_scorer: s.serializedScorer,
    kind: s.kind,
    runnable: s.runnable,
    ...(s.notRunnableReason !== undefined ? { not_runnable_reason: s.notRunnableReason } : {}),
    created_at: s.createdAt,
    created_by: s.createdBy,
    decided_at: s.decidedAt,
    decided_by: s.decidedBy,
  };
}
