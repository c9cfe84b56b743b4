import { requireRole, type VerbArgs } from "@/lib/core";
import { RunIdInput, requireRunRow, runFromRow, type RunJson } from "./run-json";

export type GetRunInput = { run_id?: string; run_uuid?: string };

/** MLflow's GetRun (GET runs/get?run_id=..): info, latest metrics, params, tags and inputs. */
export function getRun({ ctx, input }: VerbArgs<GetRunInput>): { run: RunJson } {
  const runId = RunIdInput.parse(input);
  requireRole(ctx.actor, "viewer");
  const row = requireRunRow(ctx.db, runId);
  requireRole(ctx.actor, "viewer", row.experimentId);
  return { run: runFromRow(row) };
}
