// OpenTelemetry GenAI semantic conventions, read as MLflow's server reads them when it stores an
// OTLP span (mlflow/tracing/otel/translation/genai_semconv.py): gen_ai.operation.name gives the
// span type, gen_ai.usage.* the token counts, gen_ai.input/output.messages the inputs and outputs.
// Only what the span does not already say in MLflow's own attributes is added. Pure.
import { decodeMaybeJson } from "./previews";

/** MLflow's SPAN_KIND_TO_MLFLOW_TYPE for the GenAI conventions. */
export const GENAI_OPERATION_TO_SPAN_TYPE: Record<string, string> = {
  chat: "CHAT_MODEL",
  create_agent: "AGENT",
  embeddings: "EMBEDDING",
  execute_tool: "TOOL",
  generate_content: "LLM",
  invoke_agent: "AGENT",
  text_completion: "LLM",
  response: "LLM",
};

const INPUT_KEYS = ["gen_ai.input.messages", "gen_ai.tool.call.arguments"];
const OUTPUT_KEYS = ["gen_ai.output.messages", "gen_ai.tool.call.result"];

const tokens = (v: unknown): number | null => {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/** The first of `keys` holding something (an empty JSON value counts as nothing, as in MLflow). */
function firstValue(attrs: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const decoded = typeof v === "string" ? decodeMaybeJson(v) : v;
    if (
      decoded === "" ||
      (Array.isArray(decoded) && decoded.length === 0) ||
      (typeof decoded === "object" && decoded !== null && Object.keys(decoded).length === 0)
    )
      continue;
    return decoded;
  }
  return undefined;
}

/** MLflow attributes (decoded values) that the span's gen_ai.* attributes imply and it lacks. */
export function genAiAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const op = attrs["gen_ai.operation.name"];
  const kind = typeof op === "string" ? decodeMaybeJson(op) : op;
  if (attrs["mlflow.spanType"] === undefined && typeof kind === "string" && GENAI_OPERATION_TO_SPAN_TYPE[kind])
    out["mlflow.spanType"] = GENAI_OPERATION_TO_SPAN_TYPE[kind];
  const input = tokens(attrs["gen_ai.usage.input_tokens"]);
  const output = tokens(attrs["gen_ai.usage.output_tokens"]);
  if (attrs["mlflow.chat.tokenUsage"] === undefined && (input !== null || output !== null)) {
    // The conventions define no total; MLflow adds the two it has.
    out["mlflow.chat.tokenUsage"] = { input_tokens: input ?? 0, output_tokens: output ?? 0, total_tokens: (input ?? 0) + (output ?? 0) };
  }
  if (attrs["mlflow.spanInputs"] === undefined) {
    const v = firstValue(attrs, INPUT_KEYS);
    if (v !== undefined) out["mlflow.spanInputs"] = v;
  }
  if (attrs["mlflow.spanOutputs"] === undefined) {
    const v = firstValue(attrs, OUTPUT_KEYS);
    if (v !== undefined) out["mlflow.spanOutputs"] = v;
  }
  return out;
}
