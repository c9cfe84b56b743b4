// Chat-shaped span or trace inputs/outputs → one list of messages to show as a conversation.
// Shapes: OpenAI chat ({messages}, {choices: [{message}]}), Anthropic Messages ({system, messages}
// with text/tool_use/tool_result blocks; a response {role, content: [blocks]}), and the OTel
// GenAI semantic conventions' gen_ai.input/output.messages ([{role, parts}], Vigil's intake
// stores them as the span's inputs and outputs). Pure; anything else is not a chat (null).

export interface ChatToolCall {
  name: string;
  arguments: string;
}

export interface ChatMessage {
  role: string;
  text: string;
  toolCalls: ChatToolCall[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));

function decode(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

/** One content part: its text, or a tool call. */
function part(p: unknown, out: ChatMessage): void {
  if (typeof p === "string") {
    out.text += (out.text ? "\n" : "") + p;
    return;
  }
  if (!isObj(p)) return;
  const add = (t: string) => (out.text += (out.text && t ? "\n" : "") + t);
  switch (p.type) {
    case "tool_use": // Anthropic
      out.toolCalls.push({ name: str(p.name), arguments: str(p.input) });
      return;
    case "tool_call": // GenAI semconv
      out.toolCalls.push({ name: str(p.name), arguments: str(p.arguments) });
      return;
    case "tool_result": // Anthropic
      add(Array.isArray(p.content) ? p.content.map((c) => (isObj(c) ? str(c.text ?? c) : str(c))).join("\n") : str(p.content));
      return;
    case "tool_call_response": // GenAI semconv
      add(str(p.response ?? p.result));
      return;
    default:
      add(str(p.text ?? p.content ?? ""));
  }
}

function messageOf(m: unknown): ChatMessage | null {
  if (!isObj(m) || typeof m.role !== "string") return null;
  const out: ChatMessage = { role: m.role, text: "", toolCalls: [] };
  const content = m.parts ?? m.content;
  if (Array.isArray(content)) content.forEach((p) => part(p, out));
  else if (content !== undefined && content !== null) part(str(content), out);
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls) {
      const f = isObj(c) && isObj(c.function) ? c.function : isObj(c) ? c : {};
      out.toolCalls.push({ name: str(f.name), arguments: str(f.arguments) });
    }
  }
  return out.text || out.toolCalls.length ? out : null;
}

const listOf = (ms: unknown[]): ChatMessage[] | null => {
  if (ms.length === 0 || !ms.every((m) => isObj(m) && typeof m.role === "string")) return null;
  return ms.map(messageOf).filter((m): m is ChatMessage => m !== null);
};

/** The messages a chat-shaped value holds, in order; null when it is not a chat. */
export function chatMessagesOf(value: unknown): ChatMessage[] | null {
  const v = decode(value);
  if (Array.isArray(v)) return listOf(v);
  if (!isObj(v)) return null;
  if (Array.isArray(v.messages)) {
    const ms = listOf(v.messages);
    if (!ms) return null;
    const system = typeof v.system === "string" ? v.system : Array.isArray(v.system) ? v.system.map((b) => (isObj(b) ? str(b.text) : str(b))).join("\n") : "";
    return system ? [{ role: "system", text: system, toolCalls: [] }, ...ms] : ms;
  }
  if (Array.isArray(v.choices)) {
    const ms = v.choices.map((c) => (isObj(c) ? messageOf(c.message ?? c.delta) : null)).filter((m): m is ChatMessage => m !== null);
    return ms.length ? ms.slice(0, 1) : null; // the first choice is the answer; n > 1 is rare in agents
  }
  if (typeof v.role === "string") {
    const m = messageOf(v);
    return m ? [m] : null;
  }
  return null;
}

/** A request and its response as one conversation: the request's messages, then the answer's. Null unless the request is a chat. */
export function conversationOf(inputs: unknown, outputs: unknown): ChatMessage[] | null {
  const asked = chatMessagesOf(inputs);
  if (!asked || asked.length === 0) return null;
  return [...asked, ...(chatMessagesOf(outputs) ?? [])];
}

const LLM_TYPES = new Set(["LLM", "CHAT_MODEL"]);
const nsBefore = (a: string, b: string) => a.length < b.length || (a.length === b.length && a < b);

/**
 * A trace's conversation: its request and response when they are chat-shaped, else the last LLM
 * call's (its inputs hold the whole history the model was given, its outputs the answer).
 */
export function traceConversation(
  request: unknown,
  response: unknown,
  spans: readonly { span_type: string | null; start_time_ns: string; attributes: Record<string, unknown> }[],
): { messages: ChatMessage[]; from: "trace" | "llm_span" } | null {
  const own = conversationOf(request, response);
  if (own) return { messages: own, from: "trace" };
  let last: (typeof spans)[number] | undefined;
  for (const s of spans) if (s.span_type && LLM_TYPES.has(s.span_type) && (!last || nsBefore(last.start_time_ns, s.start_time_ns))) last = s;
  const llm = last ? conversationOf(last.attributes["mlflow.spanInputs"], last.attributes["mlflow.spanOutputs"]) : null;
  return llm ? { messages: llm, from: "llm_span" } : null;
}
