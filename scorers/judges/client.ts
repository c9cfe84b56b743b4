// One call to an OpenAI-compatible chat-completions endpoint, with structured output, failure
// classification and token usage. Every LLM judge goes through here.
import { classifyFailure, ScorerError } from "../errors";
import { truncate } from "../text";
import type { ScoreResult, ScorerEnv } from "../types";
import { describeDomain, type JudgeValueType, parseJudgeAnswer, resultSchema } from "./parse";

export interface JudgeCall {
  system: string;
  user: string;
  valueType: JudgeValueType;
  /** A model from the scorer's params (MLflow style "openai:/gpt-4o" or a bare name). */
  model?: string | null;
}

/** "openai:/gpt-4o-mini" -> "gpt-4o-mini"; the endpoint decides the provider, not the URI. */
export function modelName(model: string | null | undefined, fallback: string): string {
  if (!model || model === "databricks") return fallback;
  const m = /^[\w.-]+:\/+(.+)$/.exec(model);
  return m ? m[1]! : model;
}

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get("retry-after");
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The provider's own error message, if the body carries one ({error: {message}}). */
function providerMessage(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown } | string }).error;
    if (typeof e === "string") return e;
    if (e && typeof e.message === "string") return e.message;
  } catch {
    // fall through
  }
  return truncate(body.trim(), 200);
}

interface ChatCompletion {
  model?: string;
  choices?: { message?: { content?: string | null; refusal?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export async function callJudge(call: JudgeCall, env: ScorerEnv): Promise<ScoreResult> {
  const settings = env.judge;
  if (!settings?.baseUrl) {
    // Nothing will change by retrying; the operator must configure a judge, so pause the scorer.
    throw new ScorerError("account", "No LLM judge is configured: set VIGIL_JUDGE_BASE_URL (and VIGIL_JUDGE_API_KEY).");
  }
  const model = modelName(call.model, settings.model);
  const url = `${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const body = {
    model,
    temperature: 0,
    messages: [
      {
        role: "system",
        content: `${call.system}\n\nAnswer with a JSON object: {"result": <${describeDomain(call.valueType)}>, "rationale": "<one or two sentences>"}.`,
      },
      { role: "user", content: call.user },
    ],
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "judgement",
        strict: true,
        schema: {
          type: "object",
          properties: { result: resultSchema(call.valueType), rationale: { type: "string" } },
          required: ["result", "rationale"],
          additionalProperties: false,
        },
      },
    },
  };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  let res: Response;
  try {
    res = await env.fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(settings.timeoutMs) });
  } catch (e) {
    const err = e as Error;
    const timedOut = err?.name === "TimeoutError" || err?.name === "AbortError";
    const what = timedOut ? `did not answer within ${settings.timeoutMs} ms` : `could not be reached (${err?.message ?? String(e)})`;
    throw new ScorerError(classifyFailure(e), `Judge endpoint ${what}.`, { cause: e });
  }

  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new ScorerError(classifyFailure(e), `Judge response could not be read (HTTP ${res.status}).`, { cause: e });
  }
  if (!res.ok) {
    const kind = classifyFailure({ status: res.status, body: text });
    throw new ScorerError(kind, `Judge endpoint answered HTTP ${res.status}: ${providerMessage(text)}`, {
      httpStatus: res.status,
      retryAfterMs: retryAfterMs(res),
    });
  }

  let completion: ChatCompletion;
  try {
    completion = JSON.parse(text) as ChatCompletion;
  } catch {
    throw new ScorerError("permanent", `Judge endpoint answered HTTP ${res.status} with a body that is not JSON: ${truncate(text, 200)}`);
  }
  const message = completion.choices?.[0]?.message;
  if (message?.refusal) throw new ScorerError("permanent", `Judge refused to answer: ${truncate(message.refusal, 300)}`);
  if (typeof message?.content !== "string") throw new ScorerError("permanent", "Judge response has no message content; not guessing a value.");

  const { value, rationale } = parseJudgeAnswer(message.content, call.valueType);
  return {
    value,
    rationale,
    metadata: { judge_model: completion.model ?? model },
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      model: completion.model ?? model,
    },
  };
}
