// MLflow's make_judge: free-form instructions with {{ inputs }}, {{ outputs }}, {{ expectations }}
// and {{ trace }} placeholders, and a declared feedback value type.
import { z } from "zod";
import type { TraceData } from "@/lib/mlflow/types";
import { stringifyCompact, truncate } from "../text";
import { defineScorer, type ScorerEnv } from "../types";
import { conversationMessages, renderConversation } from "../conversation";
import { callJudge } from "./client";
import { valueTypeFromSchema } from "./parse";

export const TEMPLATE_VARIABLES = ["inputs", "outputs", "expectations", "trace"] as const;
/** MLflow's session-level placeholder: the whole conversation of a session. */
export const CONVERSATION = "conversation";
type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Placeholders in order of first appearance. */
export function templateVariables(instructions: string): string[] {
  return [...new Set([...instructions.matchAll(VARIABLE)].map((m) => m[1]!))];
}

const params = z
  .object({
    instructions: z.string().trim().min(1),
    model: z.string().min(1).nullish(),
    /** JSON schema as MLflow stores it, e.g. {"type": "string", "enum": ["yes", "no"]} or {"type": "number"}. */
    feedback_value_type: z.record(z.string(), z.unknown()).nullish(),
  })
  .superRefine((p, ctx) => {
    const vars = templateVariables(p.instructions);
    const unknown = vars.filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
    if (vars.includes(CONVERSATION)) {
      // A session judge sees the conversation, not one trace's inputs, outputs or spans.
      const other = vars.filter((v) => v !== CONVERSATION && v !== "expectations");
      if (other.length)
        ctx.addIssue({
          code: "custom",
          path: ["instructions"],
          message: `{{ conversation }} judges a whole session; it cannot be combined with ${other.join(", ")}`,
        });
    } else if (unknown.length) {
      ctx.addIssue({ code: "custom", path: ["instructions"], message: `unsupported placeholders ${unknown.join(", ")}; use ${TEMPLATE_VARIABLES.join(", ")}` });
    }
    if (vars.length === 0) {
      ctx.addIssue({ code: "custom", path: ["instructions"], message: "instructions must use at least one placeholder such as {{ outputs }}" });
    }
    try {
      valueTypeFromSchema(p.feedback_value_type);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["feedback_value_type"], message: (e as Error).message });
    }
  });

/**
 * MLflow hands {{ trace }} to an agent that fetches spans with tools; Vigil renders a compact span
 * outline into the prompt instead, so any chat-completions endpoint can judge it.
 */
export function traceOutline(trace: TraceData, maxSpans = 60): string {
  const children = new Map<string | null, TraceData["spans"]>();
  for (const s of trace.spans) {
    const key = s.parent_span_id || null;
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const ids = new Set(trace.spans.map((s) => s.span_id));
  const roots = trace.spans.filter((s) => !s.parent_span_id || !ids.has(s.parent_span_id));
  const lines: string[] = [`trace ${trace.info.trace_id} state=${trace.info.state} duration_ms=${trace.info.execution_time_ms ?? "?"}`];
  const visit = (s: TraceData["spans"][number], depth: number) => {
    if (lines.length > maxSpans) return;
    const ms = s.end_time_ns ? Number((BigInt(s.end_time_ns) - BigInt(s.start_time_ns)) / 1_000_000n) : "?";
    const status = s.status_code === "STATUS_CODE_ERROR" ? ` ERROR: ${truncate(s.status_message, 150)}` : "";
    const io = ["mlflow.spanInputs", "mlflow.spanOutputs"]
      .filter((k) => s.attributes[k] !== undefined)
      .map((k) => `${k === "mlflow.spanInputs" ? "in" : "out"}=${truncate(stringifyCompact(s.attributes[k]), 300)}`)
      .join(" ");
    lines.push(`${"  ".repeat(depth + 1)}- ${s.name} [${s.span_type ?? "UNKNOWN"}] ${ms} ms${status}${io ? ` ${io}` : ""}`);
    for (const c of children.get(s.span_id) ?? []) visit(c, depth + 1);
  };
  roots.forEach((r) => visit(r, 0));
  if (lines.length > maxSpans) lines.push(`  … ${trace.spans.length - maxSpans} more spans`);
  return lines.join("\n");
}

const pretty = (v: unknown) => {
  try {
    return truncate(JSON.stringify(v, null, 2) ?? "null", 8000);
  } catch {
    return truncate(String(v), 8000);
  }
};

type Params = z.output<typeof params>;

/** As MLflow does: instructions (placeholders left in) as the system prompt, values in the user message. */
function judgeByInstructions(p: Params, user: string, env: ScorerEnv) {
  return callJudge(
    {
      model: p.model,
      valueType: valueTypeFromSchema(p.feedback_value_type),
      system: `You are an expert judge. Evaluate according to these instructions; the values of the placeholders follow in the next message.\n\n${p.instructions}`,
      user,
    },
    env,
  );
}

export const InstructionsJudge = defineScorer({
  name: "InstructionsJudge",
  kind: "judge",
  description: "LLM judge from free-form instructions (MLflow make_judge).",
  needs: ["inputs", "outputs", "expectations", "trace"],
  params,
  score: (input, p, env) => {
    const vars = templateVariables(p.instructions) as TemplateVariable[];
    const user = vars.map((v) => (v === "trace" ? `trace:\n${traceOutline(input.trace)}` : `${v}: ${pretty(input[v])}`)).join("\n");
    return judgeByInstructions(p, user, env);
  },
});

/** Whether instructions make a session-level judge (MLflow: the template uses {{ conversation }}). */
export const usesConversation = (instructions: unknown): boolean => typeof instructions === "string" && templateVariables(instructions).includes(CONVERSATION);

/** make_judge with {{ conversation }}: the session's messages in the order of its turns. */
export const SessionInstructionsJudge = defineScorer({
  name: "InstructionsJudge",
  level: "session",
  kind: "judge",
  description: "LLM judge from free-form instructions over a whole conversation (MLflow make_judge with {{ conversation }}).",
  params,
  score: (input, p, env) => {
    const vars = templateVariables(p.instructions);
    const conversation = renderConversation(conversationMessages(input.turns));
    const user = vars.map((v) => (v === CONVERSATION ? `conversation:\n${conversation}` : `${v}: {}`)).join("\n");
    return judgeByInstructions(p, user, env);
  },
});
