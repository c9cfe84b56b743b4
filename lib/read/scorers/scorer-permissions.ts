import type { Actor } from "@/lib/core";
import { ROLE_FOR_ACTION } from "@/lib/monitoring/lifecycle";

export type ScorerUiAction = "pause" | "resume" | "start" | "stop" | "update" | "delete" | "register" | "resumeAccount" | "budget";

const RANK = { viewer: 1, operator: 2, admin: 3 } as const;

/**
 * Which lifecycle buttons the actor may use, from the same role table the verbs enforce, so
 * a viewer sees disabled buttons instead of a refusal after clicking. The verbs still decide.
 */
export function scorerPermissions(actor: Actor): Record<ScorerUiAction, boolean> {
  const rank = actor.role === "ingest" ? 0 : RANK[actor.role];
  const may = (a: keyof typeof ROLE_FOR_ACTION) => rank >= RANK[ROLE_FOR_ACTION[a]];
  // Lifting an account pause is a resume (operator); a budget is a setting (admin), as in lib/engine/runtime.
  const operator = rank >= RANK.operator;
  return {
    pause: may("pause"),
    resume: may("resume"),
    start: may("start"),
    stop: may("stop"),
    update: may("update"),
    delete: may("delete"),
    register: may("register"),
    resumeAccount: operator,
    budget: rank >= RANK.admin,
  };
}
