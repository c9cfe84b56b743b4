// The shared core of start / update / stop and MLflow's PUT online-config: read the scorer, work
// out what the new sampling config amounts to, check the role that needs, write, audit.
import { requireRole, type Ctx } from "@/lib/core";
import { recordAudit } from "@/lib/audit";
import { checkTransition, classifySamplingChange, ROLE_FOR_ACTION, roleForSamplingChange, type SamplingChange, type SamplingConfig } from "./lifecycle";
import { samplingSnapshot, type Scorer } from "./scorer-value";
import { findConfig, readScorer, requireScorerRow, requireWriter, writeConfig } from "./store";

export type SamplingMode = "start" | "update" | "stop" | "put";

export interface SamplingRequest {
  experimentId: number;
  name: string;
  /** Fields left undefined keep their current value. */
  next: Partial<SamplingConfig>;
  mode: SamplingMode;
}

/** The role each entry point needs before anything is read (the change may then need more). */
const ENTRY_ROLE: Record<SamplingMode, "operator" | "admin"> = {
  start: ROLE_FOR_ACTION.start,
  stop: ROLE_FOR_ACTION.stop,
  update: ROLE_FOR_ACTION.update,
  put: "operator",
};

export function applySampling(ctx: Ctx, req: SamplingRequest): Scorer {
  requireWriter(ctx, ENTRY_ROLE[req.mode], req.experimentId);
  return ctx.db.transaction(() => {
    const row = requireScorerRow(ctx.db, req.experimentId, req.name);
    const before = readScorer(ctx.db, row);
    checkTransition(req.mode === "put" ? "update" : req.mode, before.status, req.name);
    const current: SamplingConfig = { sampleRate: before.sampleRate, filterString: before.filterString };
    const target: SamplingConfig = {
      sampleRate: req.next.sampleRate ?? current.sampleRate,
      filterString: req.next.filterString !== undefined ? req.next.filterString : current.filterString,
    };
    let change: SamplingChange = classifySamplingChange(current, target);
    // stop() on a paused scorer whose rate is kept is still a stop: it clears the pause.
    if (req.mode === "stop" && change === "noop" && before.status === "PAUSED") change = "stop";
    // start() on a running scorer with another rate or filter changes its cost: that is an update.
    requireRole(ctx.actor, roleForSamplingChange(change), req.experimentId);

    const hasConfig = findConfig(ctx.db, row.scorerId) !== undefined;
    if (change === "noop" && (hasConfig || req.mode !== "put")) return before;
    writeConfig(
      ctx.db,
      row.scorerId,
      { sampleRate: target.sampleRate, filterString: target.filterString, ...(change === "stop" ? { pause: null } : {}) },
      ctx.now(),
    );
    const after = readScorer(ctx.db, row);
    if (change !== "noop") {
      recordAudit(ctx, {
        action: `scorer.${change}`,
        entityType: "scorer",
        entityId: row.scorerId,
        experimentId: req.experimentId,
        before: { name: row.name, ...samplingSnapshot(before) },
        after: { name: row.name, ...samplingSnapshot(after) },
      });
    }
    return after;
  });
}
