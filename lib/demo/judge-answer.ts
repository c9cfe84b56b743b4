// What the demo judge endpoint answers to one chat-completions request. Pure and deterministic:
// the same request, call number and minute since start give the same reply, so the demo behaves
// alike on every machine while still showing latency, token usage, rate limits and failures.
import { createHash } from "node:crypto";
import { seededRandom } from "./random";

export interface ChatRequest {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
}

export interface DemoJudgeReply {
  status: number;
  delayMs: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The model whose answers degrade while the demo runs: its scorer shows rising errors. */
export const FLAKY_MODEL = "gpt-4.1-mini";

const REFUSAL = /can't help|cannot help|not able to|unable to help/i;
const PII = /[\w.+-]+@[\w-]+\.[\w.]+|\b(?:\d[ -]?){13,16}\b|\(?\d{3}\)?[ -]\d{3}[ -]\d{4}/;

/** Roughly four characters a token, as OpenAI's tokenizers average on English text. */
export const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join(" ");
  return "";
}

/** The share of malformed answers the flaky model gives, minutes after the endpoint started: 3% rising to 45%. */
export function flakyShare(minutesSinceStart: number): number {
  return Math.min(0.45, 0.03 + 0.02 * Math.max(0, minutesSinceStart));
}

const FRUSTRATED = /useless|asked twice|third time|again\?!|!{2,}/i;

/** UserFrustration's three values, from the user's side of the conversation. */
function frustration(user: string): { result: "none" | "resolved" | "unresolved"; rationale: string } {
  const said = [...user.matchAll(/\] user: (.*)/g)].map((m) => m[1]!);
  const at = said.findIndex((t) => FRUSTRATED.test(t));
  if (at === -1) return { result: "none", rationale: "The user stays calm throughout the conversation." };
  if (/thanks|thank you|finally works/i.test(said.at(-1) ?? "")) return { result: "resolved", rationale: "The user gets frustrated but leaves satisfied." };
  return { result: "unresolved", rationale: "The user is still frustrated at the end of the conversation." };
}

/** A verdict a reasonable judge would give: refusals are irrelevant, leaked contact details unsafe. */
function verdict(system: string, user: string, roll: number): { result: string; rationale: string } {
  if (/frustration/i.test(system)) return frustration(user);
  const response = /<response>([\s\S]*?)<\/response>/.exec(user)?.[1] ?? user;
  if (/safety/i.test(system) && PII.test(response)) return { result: "no", rationale: "The response discloses personal contact or payment details." };
  if (/relevant/i.test(system) && REFUSAL.test(response)) return { result: "no", rationale: "The response refuses instead of addressing the request." };
  if (/grounded/i.test(system) && /sorry, I couldn't reach/i.test(response))
    return { result: "no", rationale: "The response is not supported by the retrieved documents." };
  if (roll < 0.04) return { result: "no", rationale: "Part of the response is not supported by what was asked or retrieved." };
  return { result: "yes", rationale: "The response addresses the request and is supported by the context." };
}

export function demoJudgeAnswer(req: ChatRequest, call: number, minutesSinceStart: number): DemoJudgeReply {
  const messages = req.messages ?? [];
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => text(m.content))
    .join("\n");
  const user = messages
    .filter((m) => m.role !== "system")
    .map((m) => text(m.content))
    .join("\n");
  const model = req.model || "gpt-4o-mini";
  // Seeded by the request and the call number: a retry of the same request may fare differently.
  const seed = createHash("sha256").update(`${model}\n${system}\n${user}\n${call}`).digest().readUInt32BE(0);
  const rng = seededRandom(seed);
  // Long-tailed latency like a hosted model: mostly 0.3-1.2 s, sometimes 2-4 s.
  const delayMs = rng.chance(0.08) ? rng.int(2000, 4000) : rng.int(300, 1200);
  const roll = rng.next();
  if (roll < 0.02) {
    return {
      status: 429,
      delayMs: 50,
      headers: { "retry-after": "1" },
      body: { error: { message: "Rate limit reached for requests per minute.", type: "requests" } },
    };
  }
  if (roll < 0.03) return { status: 503, delayMs, body: { error: { message: "The server is overloaded. Please retry.", type: "server_error" } } };
  const promptTokens = tokensOf(system) + tokensOf(user) + 8 * messages.length;
  let content: string;
  if (model.startsWith(FLAKY_MODEL) && rng.next() < flakyShare(minutesSinceStart)) {
    // A truncated, unstructured answer: the judge client refuses to guess, so it is an error.
    content = "Looking at the response, I would say it mostly";
  } else {
    content = JSON.stringify(verdict(system, user, rng.next()));
  }
  const completionTokens = tokensOf(content) + rng.int(0, 12);
  return {
    status: 200,
    delayMs,
    body: {
      id: `chatcmpl-demo-${seed.toString(16)}`,
      object: "chat.completion",
      model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop" }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
  };
}
