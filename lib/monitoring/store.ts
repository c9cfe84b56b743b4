// Lookups and the one sampling-config write that every lifecycle verb shares. Verbs check roles and
// transitions; this file only reads and writes rows.
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { onlineConfigs, scorerVersions, scorers } from "@/db/schema/scorers";
import { NotFoundError, requireRole, type Actor, type Ctx } from "@/lib/core";
import { getExperimentRow, requireActiveExperiment } from "@/lib/experiments";
import { experimentIdString, int64 } from "@/lib/mlflow/proto-json";
import { scorerValue, type OnlineConfigRow, type Scorer, type ScorerRow } from "./scorer-value";

/** Fields shared by the verbs' zod inputs: MLflow's request field names. */
export const experimentIdField = experimentIdString;
export const nameField = z.string().min(1, "must not be empty");
export const versionField = int64.refine((n) => n >= 1, "must be a positive integer");

export const notFound = (name: string, experimentId: number, version?: number) =>
  new NotFoundError(
    version === undefined
      ? `Scorer with name '${name}' not found for experiment ${experimentId}.`
      : `Scorer with name '${name}' and version ${version} not found for experiment ${experimentId}.`,
  );

/** Reading scorers: a viewer of an existing experiment (deleted ones still answer, as GetExperiment does). */
export function requireReader(ctx: Ctx, experimentId: number): void {
  requireRole(ctx.actor, "viewer", experimentId);
  getExperimentRow(ctx.db, experimentId);
}

/** Changing scorers: the role for the action, in an active experiment. */
export function requireWriter(ctx: Ctx, role: "operator" | "admin", experimentId: number): void {
  requireRole(ctx.actor, role, experimentId);
  requireActiveExperiment(ctx.db, experimentId);
}

export function findScorerRow(db: Db, experimentId: number, name: string): ScorerRow | undefined {
  return db
    .select()
    .from(scorers)
    .where(and(eq(scorers.experimentId, experimentId), eq(scorers.name, name)))
    .get();
}

export function requireScorerRow(db: Db, experimentId: number, name: string): ScorerRow {
  const row = findScorerRow(db, experimentId, name);
  if (!row) throw notFound(name, experimentId);
  return row;
}

export function findConfig(db: Db, scorerId: string): OnlineConfigRow | undefined {
  return db.select().from(onlineConfigs).where(eq(onlineConfigs.scorerId, scorerId)).get();
}

/** One version's value, or the latest when `version` is undefined. */
export function readScorer(db: Db, row: ScorerRow, version?: number): Scorer {
  const where =
    version === undefined ? eq(scorerVersions.scorerId, row.scorerId) : and(eq(scorerVersions.scorerId, row.scorerId), eq(scorerVersions.version, version));
  const v = db.select().from(scorerVersions).where(where).orderBy(desc(scorerVersions.version)).limit(1).get();
  if (!v) throw notFound(row.name, row.experimentId, version);
  return scorerValue(row, v, findConfig(db, row.scorerId));
}

/** Every version, oldest first, each with the scorer's one sampling config. */
export function readVersions(db: Db, row: ScorerRow): Scorer[] {
  const config = findConfig(db, row.scorerId);
  return db
    .select()
    .from(scorerVersions)
    .where(eq(scorerVersions.scorerId, row.scorerId))
    .orderBy(scorerVersions.version)
    .all()
    .map((v) => scorerValue(row, v, config));
}

export interface ConfigWrite {
  sampleRate?: number;
  filterString?: string | null;
  /** undefined: leave the pause as it is; null: clear it; a string: pause with this reason. */
  pause?: { reason: string; actor: Actor } | null;
}

/** Creates the scorer's sampling config if missing and applies `w` (MLflow's upsert). */
export function writeConfig(db: Db, scorerId: string, w: ConfigWrite, now: number): void {
  const existing = findConfig(db, scorerId);
  const pauseCols =
    w.pause === undefined
      ? {}
      : w.pause === null
        ? { pausedReason: null, pausedAt: null, pausedBy: null }
        : { pausedReason: w.pause.reason, pausedAt: now, pausedBy: w.pause.actor.id };
  if (!existing) {
    db.insert(onlineConfigs)
      .values({
        onlineScoringConfigId: randomUUID(),
        scorerId,
        sampleRate: w.sampleRate ?? 0,
        filterString: w.filterString ?? null,
        ...pauseCols,
        updatedAt: now,
      })
      .run();
    return;
  }
  db.update(onlineConfigs)
    .set({
      ...(w.sampleRate !== undefined ? { sampleRate: w.sampleRate } : {}),
      ...(w.filterString !== undefined ? { filterString: w.filterString } : {}),
      ...pauseCols,
      updatedAt: now,
    })
    .where(eq(onlineConfigs.scorerId, scorerId))
    .run();
}
