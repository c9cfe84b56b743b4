import { PermissionDeniedError } from "./errors";

export type Role = "viewer" | "operator" | "admin" | "ingest";

export interface Actor {
  /** Stable identifier for the audit log, e.g. "user:alice", "token:ci", "system:worker". */
  id: string;
  role: Role;
  /** A token scoped to one experiment may only touch that experiment. */
  experimentId?: number | null;
}

const rank: Record<Exclude<Role, "ingest">, number> = { viewer: 1, operator: 2, admin: 3 };

export const systemActor: Actor = { id: "system:worker", role: "admin" };

/**
 * A check made before the experiment is known: the verb looks the row up next and checks again
 * with the row's experiment. Only that second check lets a scoped identity through.
 */
export const BEFORE_LOOKUP = "before-lookup" as const;

/**
 * The one role check. Ingest tokens may only write traces; every other verb needs a ranked role.
 * A scoped identity (a token limited to one experiment) acts only inside that experiment: a check
 * without an experiment is a global verb (users, tokens, creating experiments, remote status),
 * which needs an unscoped identity.
 */
export function requireRole(actor: Actor, min: Exclude<Role, "ingest">, experimentId?: number | typeof BEFORE_LOOKUP): void {
  if (actor.role === "ingest" || rank[actor.role] < rank[min]) {
    throw new PermissionDeniedError(`This action needs the ${min} role; you have ${actor.role}.`);
  }
  if (actor.experimentId == null || experimentId === BEFORE_LOOKUP) return;
  if (experimentId === undefined) {
    throw new PermissionDeniedError(`Your token is limited to experiment ${actor.experimentId}; this action needs an unscoped identity.`);
  }
  if (actor.experimentId !== experimentId) {
    throw new PermissionDeniedError(`Your token is limited to experiment ${actor.experimentId}.`);
  }
}

export function requireIngest(actor: Actor, experimentId: number): void {
  if (actor.role !== "ingest" && actor.role !== "admin" && actor.role !== "operator") {
    throw new PermissionDeniedError("Writing traces needs an ingest, operator or admin token.");
  }
  if (actor.experimentId != null && actor.experimentId !== experimentId) {
    throw new PermissionDeniedError(`Your token is limited to experiment ${actor.experimentId}.`);
  }
}
