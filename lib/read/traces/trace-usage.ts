// Tokens and cost of traces, for the traces list and the trace page. Token counts are MLflow's:
// a span's `mlflow.chat.tokenUsage` ({input_tokens, output_tokens, total_tokens}; Vigil's OTLP
// intake maps gen_ai.usage.* onto it), a trace's `mlflow.trace.tokenUsage` metadata when the
// client set it. Cost applies the judge price table (VIGIL_JUDGE_PRICES) to each LLM span's model
// (gen_ai.response.model, gen_ai.request.model or `model`); a span of an unpriced model makes the
// trace's cost a lower bound, said so by `unpriced`.
import { IDS, selectIn } from "@/db/in-chunks";
import { requireRole, type Ctx } from "@/lib/core";
import { costUsd, type PriceTable } from "@/lib/engine/cost";
import type { TraceInfoV3 } from "@/lib/mlflow/types";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface TraceUsage extends Usage {
  /** USD at the configured prices; null when no span named a priced model. */
  costUsd: number | null;
  /** LLM spans whose model has no price (their tokens are not in costUsd). */
  unpriced: number;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);

/** A JSON object, whether stored decoded or as JSON text (MLflow serializes attribute values). */
function objectOf(v: unknown): Record<string, unknown> | null {
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** MLflow's token usage object → counts; null when it has none. */
export function parseUsage(v: unknown): Usage | null {
  const o = objectOf(v);
  if (!o) return null;
  const input = num(o.input_tokens);
  const output = num(o.output_tokens);
  const total = num(o.total_tokens);
  if (input === null && output === null && total === null) return null;
  return { inputTokens: input ?? 0, outputTokens: output ?? 0, totalTokens: total ?? (input ?? 0) + (output ?? 0) };
}

/** A span's tokens and model from its attributes; null for a span without token usage. */
export function spanUsage(attributes: Record<string, unknown>): (Usage & { model: string | null }) | null {
  const u =
    parseUsage(attributes["mlflow.chat.tokenUsage"]) ??
    parseUsage({ input_tokens: attributes["gen_ai.usage.input_tokens"], output_tokens: attributes["gen_ai.usage.output_tokens"] });
  if (!u) return null;
  const model = [attributes["gen_ai.response.model"], attributes["gen_ai.request.model"], attributes["model"]].find((m) => typeof m === "string" && m);
  return { ...u, model: (model as string | undefined) ?? null };
}

/** The sum over a trace's LLM spans, priced; null when no span has token usage. */
export function sumUsage(spans: readonly (Usage & { model: string | null })[], prices: PriceTable): TraceUsage | null {
  if (spans.length === 0) return null;
  const out: TraceUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: null, unpriced: 0 };
  for (const s of spans) {
    out.inputTokens += s.inputTokens;
    out.outputTokens += s.outputTokens;
    out.totalTokens += s.totalTokens;
    const c = s.model ? costUsd({ model: s.model, promptTokens: s.inputTokens, completionTokens: s.outputTokens }, prices) : null;
    if (c === null) out.unpriced++;
    else out.costUsd = (out.costUsd ?? 0) + c;
  }
  return out;
}

/**
 * Tokens and cost of a page of traces, by trace id: from the stored spans of Vigil's own store
 * (one indexed read per page), else from the trace's `mlflow.trace.tokenUsage` (a remote
 * MLflow's traces, whose spans are not here), unpriced then.
 */
export function tracePageUsage(ctx: Ctx, experimentId: number, traces: readonly TraceInfoV3[]): Map<string, TraceUsage> {
  requireRole(ctx.actor, "viewer", experimentId);
  const out = new Map<string, TraceUsage>();
  if (traces.length === 0) return out;
  const rows = selectIn<{ trace_id: string; usage: string | null; input: number | null; output: number | null; model: string | null }>(
    ctx.db.$client,
    `SELECT trace_id, json_extract(attributes, '$."mlflow.chat.tokenUsage"') AS usage,
         json_extract(attributes, '$."gen_ai.usage.input_tokens"') AS input, json_extract(attributes, '$."gen_ai.usage.output_tokens"') AS output,
         COALESCE(json_extract(attributes, '$."gen_ai.response.model"'), json_extract(attributes, '$."gen_ai.request.model"'), json_extract(attributes, '$.model')) AS model
       FROM spans WHERE trace_id IN ${IDS}
         AND (json_extract(attributes, '$."mlflow.chat.tokenUsage"') IS NOT NULL OR json_extract(attributes, '$."gen_ai.usage.input_tokens"') IS NOT NULL)`,
    traces.map((t) => t.trace_id),
  );
  const byTrace = new Map<string, (Usage & { model: string | null })[]>();
  for (const r of rows) {
    const u = spanUsage({ "mlflow.chat.tokenUsage": r.usage, "gen_ai.usage.input_tokens": r.input, "gen_ai.usage.output_tokens": r.output, model: r.model });
    if (u) (byTrace.get(r.trace_id) ?? byTrace.set(r.trace_id, []).get(r.trace_id)!).push(u);
  }
  for (const t of traces) {
    const fromSpans = sumUsage(byTrace.get(t.trace_id) ?? [], ctx.config.VIGIL_JUDGE_PRICES);
    const meta = parseUsage(t.trace_metadata["mlflow.trace.tokenUsage"]);
    const u = fromSpans ?? (meta ? { ...meta, costUsd: null, unpriced: 1 } : null);
    if (u) out.set(t.trace_id, u);
  }
  return out;
}
