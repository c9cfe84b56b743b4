// Request/response previews from whichever instrumentation produced the spans: MLflow's own
// attributes, OpenTelemetry GenAI conventions, OpenInference, or the Vercel AI SDK.

export const PREVIEW_MAX = 1000;

const REQUEST_KEYS = [
  "mlflow.spanInputs",
  "gen_ai.input.messages",
  "gen_ai.prompt",
  "input.value",
  "ai.prompt.messages",
  "ai.prompt",
  "traceloop.entity.input",
];
const RESPONSE_KEYS = [
  "mlflow.spanOutputs",
  "gen_ai.output.messages",
  "gen_ai.completion",
  "output.value",
  "ai.response.text",
  "ai.response.object",
  "ai.response.toolCalls",
  "traceloop.entity.output",
];

/** Parses a JSON-looking string; other values come back as they are. */
export function decodeMaybeJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!t || (!'{["'.includes(t[0]!) && !/^(-?\d|true$|false$|null$)/.test(t))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

type Attrs = Record<string, unknown>;

function firstPresent(attrs: Attrs, keys: string[]): unknown {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== null && v !== "") return decodeMaybeJson(v);
  }
  return undefined;
}

// Instrumentations that flatten chat messages into indexed attributes: OpenLLMetry writes
// gen_ai.prompt.0.role / gen_ai.prompt.0.content, OpenInference llm.input_messages.0.message.role.
const FLATTENED = {
  request: [/^gen_ai\.prompt\.(\d+)\.(role|content)$/, /^llm\.input_messages\.(\d+)\.message\.(role|content)$/],
  response: [/^gen_ai\.completion\.(\d+)\.(role|content)$/, /^llm\.output_messages\.(\d+)\.message\.(role|content)$/],
};

/** Rebuilds [{role, content}] from indexed attributes; undefined when there are none. */
export function flattenedMessages(attrs: Attrs, side: "request" | "response"): Attrs[] | undefined {
  for (const re of FLATTENED[side]) {
    const byIndex = new Map<number, Attrs>();
    for (const [k, v] of Object.entries(attrs)) {
      const m = re.exec(k);
      if (!m) continue;
      const i = Number(m[1]);
      const msg = byIndex.get(i) ?? {};
      msg[m[2]!] = v;
      byIndex.set(i, msg);
    }
    if (byIndex.size) return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  }
  return undefined;
}

/** The request and response of a trace: the root span's, else the first span that has them. */
export function extractRequestResponse(root: Attrs | undefined, others: Attrs[]): { request: unknown; response: unknown } {
  const ordered = root ? [root, ...others] : others;
  let request: unknown;
  let response: unknown;
  for (const a of ordered) {
    request ??= firstPresent(a, REQUEST_KEYS) ?? flattenedMessages(a, "request");
    response ??= firstPresent(a, RESPONSE_KEYS) ?? flattenedMessages(a, "response");
    if (request !== undefined && response !== undefined) break;
  }
  return { request, response };
}

function contentText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((p) => (typeof p === "string" ? p : p && typeof p === "object" ? ((p as Attrs).text ?? (p as Attrs).content) : undefined))
      .filter((p): p is string => typeof p === "string");
    return parts.length ? parts.join(" ") : undefined;
  }
  return undefined;
}

function messagesOf(v: unknown): Attrs[] | undefined {
  if (Array.isArray(v) && v.every((m) => m && typeof m === "object" && "role" in (m as Attrs))) return v as Attrs[];
  if (v && typeof v === "object") {
    const o = v as Attrs;
    if (Array.isArray(o.messages)) return messagesOf(o.messages);
    if (Array.isArray(o.choices)) {
      const msgs = (o.choices as Attrs[]).map((c) => c?.message).filter(Boolean) as Attrs[];
      return msgs.length ? msgs : undefined;
    }
  }
  return undefined;
}

/** Short human text for a value: the last user (request) or assistant (response) message of a chat. */
export function previewOf(v: unknown, side: "request" | "response"): string | null {
  if (v === undefined || v === null) return null;
  const msgs = messagesOf(v);
  if (msgs) {
    const wanted = side === "request" ? ["user", "human"] : ["assistant", "ai", "model"];
    const m = [...msgs].reverse().find((x) => wanted.includes(String(x.role)));
    const parts = m ? (m.parts ?? m.content) : undefined;
    const text = contentText(parts);
    if (text !== undefined) return truncate(text);
  }
  if (typeof v === "string") return truncate(v);
  // The AI SDK records ai.prompt as {system?, prompt} when the call passed a plain prompt.
  if (v && typeof v === "object" && typeof (v as Attrs).prompt === "string") return truncate((v as Attrs).prompt as string);
  return truncate(JSON.stringify(v));
}

export function truncate(s: string, max = PREVIEW_MAX): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}
