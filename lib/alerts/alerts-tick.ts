import { requireRole, type Ctx } from "@/lib/core";
import { deliverOutbox, type DeliverResult } from "./deliver-outbox";
import { evaluateAlerts, type EvaluateResult } from "./evaluate-alerts";

/** The worker's one call per pass: evaluate rules when a minute has passed, then send what is due. */
export async function alertsTick(ctx: Ctx): Promise<{ evaluated: EvaluateResult; delivered: DeliverResult }> {
  const evaluated = evaluateAlerts(ctx);
  const delivered = await deliverOutbox(ctx);
  return { evaluated, delivered };
}

export const alertsBusy = (r: Awaited<ReturnType<typeof alertsTick>>) => r.delivered.sent + r.delivered.retrying + r.delivered.dead > 0;

/** "Evaluate now" (REST, after editing a rule): an admin runs this minute's evaluation at once. */
export async function evaluateAlertsNow({ ctx }: { ctx: Ctx }) {
  requireRole(ctx.actor, "admin");
  const evaluated = evaluateAlerts(ctx, { force: true });
  return { evaluated, delivered: await deliverOutbox(ctx) };
}
