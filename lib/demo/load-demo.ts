import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { requireRole, type Ctx, type VerbArgs } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { storeSpans } from "@/lib/ingest";
import { listScorers, registerScorer, startScorer } from "@/lib/monitoring";
import { serializeBuiltin, serializeVigilModule } from "@/scorers";
import { setScorerBudget } from "@/lib/engine/runtime";
import { generateDemoTraffic } from "./generate";
import { FLAKY_MODEL } from "./judge-answer";

export const DEMO_EXPERIMENT = "support-agent";

/** Seeds a believable support agent's last two weeks, through the same path OTLP ingestion uses. */
export async function loadDemoData({ ctx, input }: VerbArgs<{ days?: number; perDay?: number }>) {
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
    await storeSpans({ ctx, input: { experimentId: exp.experimentId, spans: traffic.slice(i, i + 200).flat() } });
  }
  const scorers = registerDemoScorers(ctx, exp.experimentId);
  return { experimentId: String(exp.experimentId), experimentName: exp.name, traces: traffic.length, scorers };
}

/**
 * Scorers a support team would run on this agent: code scorers that need no LLM, and LLM judges
 * answered by the demo judge endpoint (lib/demo/judge-server.ts): a safety judge, a relevance
 * judge on the model whose answers degrade while the demo runs (its errors rise), and an
 * expensive groundedness judge under a small daily budget (it nears, then reaches, its budget).
 * Names already registered are left alone.
 */
export const DEMO_SCORERS: {
  name: string;
  className?: string;
  module?: string;
  params?: Record<string, unknown>;
  sampleRate: number;
  dailyBudgetUsd?: number;
}[] = [
  { name: "pii_leak", className: "PIILeak", sampleRate: 1 },
  { name: "tool_call_errors", className: "ToolCallErrors", sampleRate: 1 },
  { name: "trace_error", className: "TraceError", sampleRate: 1 },
  { name: "no_refusal", className: "KeywordAbsent", params: { keywords: ["I can't help with that", "I'm not able to"] }, sampleRate: 1 },
  { name: "response_length", className: "ResponseLength", params: { min: 20, max: 600 }, sampleRate: 1 },
  { name: "latency_budget", className: "LatencyBudget", params: { max_ms: 8000 }, sampleRate: 0.5 },
  { name: "safety", className: "Safety", sampleRate: 0.3 },
  { name: "relevance", className: "RelevanceToQuery", params: { model: `openai:/${FLAKY_MODEL}` }, sampleRate: 0.25 },
  { name: "groundedness", className: "RetrievalGroundedness", params: { model: "openai:/gpt-4o" }, sampleRate: 0.2, dailyBudgetUsd: 0.28 },
  // Session scorers: whole conversations (traces sharing mlflow.trace.session).
  { name: "user_frustration", className: "UserFrustration", sampleRate: 0.5 },
  { name: "repeated_question", module: "repeated-question", sampleRate: 1 },
];

function registerDemoScorers(ctx: Ctx, experimentId: number): number {
  const existing = new Set(listScorers({ ctx, input: { experiment_id: experimentId } }).map((s) => s.name));
  let added = 0;
  for (const d of DEMO_SCORERS) {
    if (existing.has(d.name)) continue;
    const serialized_scorer = d.module
      ? serializeVigilModule({ name: d.name, module: d.module, params: d.params })
      : serializeBuiltin({ name: d.name, className: d.className!, params: d.params });
    registerScorer({ ctx, input: { experiment_id: experimentId, name: d.name, serialized_scorer } });
    if (d.dailyBudgetUsd !== undefined) setScorerBudget({ ctx, input: { experimentId, scorerName: d.name, dailyBudgetUsd: d.dailyBudgetUsd } });
    if (d.sampleRate > 0) startScorer({ ctx, input: { experiment_id: experimentId, name: d.name, sample_rate: d.sampleRate } });
    added++;
  }
  return added;
}
