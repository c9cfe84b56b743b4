import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { requireRole, type VerbArgs } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { storeSpans } from "@/lib/ingest";
import { generateDemoTraffic } from "./generate";

export const DEMO_EXPERIMENT = "support-agent";

/** Seeds a believable support agent's last two weeks, through the same path OTLP ingestion uses. */
export function loadDemoData({ ctx, input }: VerbArgs<{ days?: number; perDay?: number }>) {
  requireRole(ctx.actor, "admin");
  const now = ctx.now();
  if (!ctx.db.select().from(experiments).where(eq(experiments.name, DEMO_EXPERIMENT)).get()) {
    createExperiment({
      ctx,
      input: { name: DEMO_EXPERIMENT, tags: [{ key: "mlflow.note.content", value: "Demo: a customer-support agent with retrieval and tools." }] },
    });
  }
  const exp = ctx.db.select().from(experiments).where(eq(experiments.name, DEMO_EXPERIMENT)).get()!;
  const traffic = generateDemoTraffic(now, { days: input.days, perDay: input.perDay });
  // Stored in chunks so one transaction never holds the database for long.
  for (let i = 0; i < traffic.length; i += 200) {
    storeSpans({ ctx, input: { experimentId: exp.experimentId, spans: traffic.slice(i, i + 200).flat() } });
  }
  return { experimentId: String(exp.experimentId), experimentName: exp.name, traces: traffic.length };
}
