// Agents log inputs and outputs in many shapes (plain strings, OpenAI chat completions, message
// lists, {content}, Responses-API output items). Text scorers and judges need the human-readable
// text: the assistant's answer on the way out, the user's question on the way in.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON string that holds an object or array is decoded; anything else is returned as is. */
export function decodeJsonish(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

/** Message content: a string, or a list of parts ({type: "text"|"output_text", text}). */
function contentText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((p) => (typeof p === "string" ? p : isObj(p) && typeof p.text === "string" ? p.text : undefined))
      .filter((p): p is string => p !== undefined);
    return parts.length ? parts.join("") : undefined;
  }
  return undefined;
}

function isMessage(v: unknown): boolean {
  return isObj(v) && typeof v.role === "string" && "content" in v;
}

/** The content of the last message with one of `roles` in a message list. */
function lastMessageText(list: unknown[], roles: string[]): string | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (isObj(m) && isMessage(m) && roles.includes(m.role as string)) {
      const t = contentText(m.content);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

const OUTPUT_KEYS = ["content", "output", "response", "answer", "text", "result", "output_text", "completion"];
const INPUT_KEYS = ["query", "question", "input", "prompt", "request", "content", "text", "user_input"];

function extract(value: unknown, side: "out" | "in", depth: number): string | undefined {
  const v = decodeJsonish(value);
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (depth > 4) return undefined;
  const roles = side === "out" ? ["assistant", "ai"] : ["user", "human"];
  if (Array.isArray(v)) {
    // Message lists, including Responses-API output items ({type: "message", role, content: parts}).
    if (v.some(isMessage)) return lastMessageText(v, roles);
    return undefined;
  }
  if (!isObj(v)) return undefined;
  // OpenAI chat completion: choices[0].message.content (or .text for legacy completions).
  if (side === "out" && Array.isArray(v.choices) && v.choices.length > 0) {
    const c = v.choices[0];
    if (isObj(c)) {
      const fromMessage = isObj(c.message) ? contentText(c.message.content) : undefined;
      const t = fromMessage ?? (typeof c.text === "string" ? c.text : undefined);
      if (t !== undefined) return t;
    }
  }
  if (Array.isArray(v.messages)) {
    const t = lastMessageText(v.messages, roles);
    if (t !== undefined) return t;
  }
  if (isMessage(v)) return contentText(v.content);
  for (const key of side === "out" ? OUTPUT_KEYS : INPUT_KEYS) {
    if (key in v) {
      const t = key === "content" ? contentText(v[key]) : extract(v[key], side, depth + 1);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** The assistant's answer in an output value; falls back to compact JSON for other shapes. */
export function outputText(value: unknown): string {
  return extract(value, "out", 0) ?? stringifyCompact(value);
}

/** The user's request in an input value; falls back to compact JSON for other shapes. */
export function inputText(value: unknown): string {
  return extract(value, "in", 0) ?? stringifyCompact(value);
}

/** Whether the value is chat-shaped enough that an assistant text could be found in it. */
export function assistantText(value: unknown): string | undefined {
  const v = decodeJsonish(value);
  return typeof v === "string" ? undefined : extract(v, "out", 0);
}

export function stringifyCompact(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Cuts long text for prompts and rationales without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}… [${chars.length - max} more characters]`;
}
