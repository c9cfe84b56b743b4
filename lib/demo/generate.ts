import type { IncomingSpan } from "@/lib/ingest/types";
import { FOLLOW_UPS, OFF_TOPIC_QUESTIONS, PII_ANSWERS, REFUSALS, TOPICS } from "./conversations";
import { seededRandom, type Rng } from "./random";

const MS = 1_000_000n;
const ns = (ms: number) => (BigInt(Math.round(ms)) * MS).toString();
const enc = (v: unknown) => JSON.stringify(v);

interface SpanSpec {
  name: string;
  type: string;
  startMs: number;
  endMs: number;
  inputs: unknown;
  outputs?: unknown;
  error?: string;
  extra?: Record<string, unknown>;
}

function span(traceIdHex: string, spanIdHex: string, parent: string | null, s: SpanSpec): IncomingSpan {
  const attributes: Record<string, unknown> = {
    "mlflow.spanType": enc(s.type),
    "mlflow.spanInputs": enc(s.inputs),
    "mlflow.traceRequestId": enc(`tr-${traceIdHex}`),
    ...s.extra,
  };
  if (s.outputs !== undefined) attributes["mlflow.spanOutputs"] = enc(s.outputs);
  return {
    traceIdHex,
    spanIdHex,
    parentSpanIdHex: parent,
    name: s.name,
    kind: 1,
    startTimeNs: ns(s.startMs),
    endTimeNs: ns(s.endMs),
    statusCode: s.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK",
    statusMessage: s.error ?? "",
    attributes,
    events: s.error ? [{ name: "exception", time_unix_nano: ns(s.endMs), attributes: { "exception.type": "ToolError", "exception.message": s.error } }] : [],
  };
}

function llmAttrs(rng: Rng, promptTokens: number, completionTokens: number) {
  return {
    "gen_ai.system": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.usage.input_tokens": promptTokens,
    "gen_ai.usage.output_tokens": completionTokens,
    "mlflow.chat.tokenUsage": enc({ input_tokens: promptTokens, output_tokens: completionTokens, total_tokens: promptTokens + completionTokens }),
    "llm.temperature": rng.pick([0, 0.2]),
  };
}

export interface TurnOptions {
  degraded: boolean;
  /** A turn of a multi-turn conversation: its session id and what the user says. */
  session?: string;
  question?: string;
  /** The conversation's topic (an index into TOPICS), so the agent's answers fit the questions. */
  topic?: number;
}

/** One support-agent conversation turn as spans: agent → retriever → LLM → tool → LLM. */
export function generateTrace(rng: Rng, startMs: number, opts: TurnOptions): IncomingSpan[] {
  const traceId = rng.hex(32);
  const ids = () => rng.hex(16);
  const rootId = ids();
  const order = String(rng.int(10000, 99999));
  const topic = opts.topic !== undefined ? TOPICS[opts.topic % TOPICS.length]! : rng.pick(TOPICS);
  const fill = (s: string) => s.replaceAll("{order}", order);
  const offTopic = opts.question === undefined && rng.chance(0.04);
  const question = opts.question ?? (offTopic ? fill(rng.pick(OFF_TOPIC_QUESTIONS)) : fill(topic.question));
  const slow = rng.chance(0.07);
  const spans: IncomingSpan[] = [];
  let t = startMs + rng.int(2, 10);

  const retrieveEnd = t + rng.int(40, 220);
  spans.push(
    span(traceId, ids(), rootId, {
      name: "retrieve_docs",
      type: "RETRIEVER",
      startMs: t,
      endMs: retrieveEnd,
      inputs: { query: question },
      outputs: topic.docs.map((d, i) => ({ page_content: d, metadata: { doc_uri: `kb://support/${topic.tool?.name ?? "faq"}/${i}` } })),
    }),
  );
  t = retrieveEnd + 1;

  const planEnd = t + (slow ? rng.int(6000, 14000) : rng.int(350, 1400));
  spans.push(
    span(traceId, ids(), rootId, {
      name: "plan",
      type: "CHAT_MODEL",
      startMs: t,
      endMs: planEnd,
      inputs: {
        messages: [
          { role: "system", content: "You are a helpful support agent." },
          { role: "user", content: question },
        ],
      },
      outputs: { choices: [{ message: { role: "assistant", content: topic.tool ? `call ${topic.tool.name}` : "answer directly" } }] },
      extra: llmAttrs(rng, rng.int(300, 900), rng.int(10, 40)),
    }),
  );
  t = planEnd + 1;

  let toolError: string | undefined;
  if (topic.tool && !offTopic) {
    toolError = rng.chance(0.06) ? `${topic.tool.name} failed: upstream timeout after 3000 ms` : undefined;
    const toolEnd = t + (toolError ? 3000 : rng.int(30, 400));
    const args = JSON.parse(fill(JSON.stringify(topic.tool.args)));
    spans.push(
      span(traceId, ids(), rootId, {
        name: topic.tool.name,
        type: "TOOL",
        startMs: t,
        endMs: toolEnd,
        inputs: args,
        outputs: toolError ? undefined : JSON.parse(fill(JSON.stringify(topic.tool.result))),
        error: toolError,
      }),
    );
    t = toolEnd + 1;
  }

  // The agent crashes on half of the tool failures; otherwise it apologises.
  const crash = toolError !== undefined && rng.chance(0.5);
  let answer: string | undefined;
  if (!crash) {
    if (offTopic || rng.chance(opts.degraded ? 0.12 : 0.03)) answer = rng.pick(REFUSALS);
    else if (rng.chance(0.04)) answer = rng.pick(PII_ANSWERS);
    else if (toolError) answer = "I'm sorry, I couldn't reach our order system just now. Please try again in a few minutes.";
    else answer = fill(topic.answer);
    const answerEnd = t + (slow ? rng.int(4000, 9000) : rng.int(500, 2200));
    spans.push(
      span(traceId, ids(), rootId, {
        name: "answer",
        type: "CHAT_MODEL",
        startMs: t,
        endMs: answerEnd,
        inputs: { messages: [{ role: "user", content: question }] },
        outputs: { choices: [{ message: { role: "assistant", content: answer } }] },
        extra: llmAttrs(rng, rng.int(600, 1800), rng.int(30, 160)),
      }),
    );
    t = answerEnd + 1;
  }

  const user = `user-${rng.int(1, 400)}`;
  spans.unshift(
    span(traceId, rootId, null, {
      name: "support_agent",
      type: "AGENT",
      startMs,
      endMs: t + rng.int(2, 20),
      inputs: { messages: [{ role: "user", content: question }] },
      outputs: answer === undefined ? undefined : { messages: [{ role: "assistant", content: answer }] },
      error: crash ? `ToolError: ${toolError}` : undefined,
      extra: { "mlflow.trace.user": enc(user), "mlflow.trace.session": enc(opts.session ?? `sess-${user}-${Math.floor(startMs / 3_600_000)}`) },
    }),
  );
  return spans;
}

/**
 * A multi-turn conversation: 2 to 5 turns a minute or two apart under one session id. Some users
 * have to ask again (a repeated question, rising frustration), some leave with thanks.
 */
export function generateConversation(rng: Rng, startMs: number, opts: { degraded: boolean }): IncomingSpan[][] {
  const session = `conv-${rng.hex(12)}`;
  const topic = rng.int(0, TOPICS.length - 1);
  const opening = TOPICS[topic]!.question.replaceAll("{order}", String(rng.int(10000, 99999)));
  const frustrated = rng.chance(opts.degraded ? 0.4 : 0.15);
  const n = rng.int(2, 5);
  const questions = [opening];
  for (let k = 1; k < n; k++) questions.push(frustrated && k === 1 ? opening : rng.pick(FOLLOW_UPS));
  if (frustrated) questions.push(rng.chance(0.5) ? "This is useless, I have asked twice now!" : "OK, that finally works. Thanks!");
  else if (rng.chance(0.6)) questions.push("Thanks, that's all I needed.");
  const turns: IncomingSpan[][] = [];
  let at = startMs;
  for (const question of questions) {
    turns.push(generateTrace(rng, at, { degraded: opts.degraded, session, question, topic }));
    at += rng.int(30_000, 150_000);
  }
  return turns;
}

/** Two weeks of backdated traffic with a daily rhythm; the last three days refuse more often. */
export function generateDemoTraffic(now: number, opts: { days?: number; perDay?: number; seed?: number } = {}): IncomingSpan[][] {
  const days = opts.days ?? 14;
  const perDay = opts.perDay ?? 110;
  const rng = seededRandom(opts.seed ?? 42);
  const out: IncomingSpan[][] = [];
  const start = now - days * 86_400_000;
  for (let d = 0; d < days; d++) {
    const count = Math.round(perDay * (0.8 + rng.next() * 0.4));
    for (let i = 0; i < count; i++) {
      // Busier during the working day (UTC 8-20).
      const hour = rng.chance(0.75) ? rng.int(8, 19) : rng.int(0, 23);
      const at = start + d * 86_400_000 + hour * 3_600_000 + rng.int(0, 3_599_999);
      if (at > now - 60_000) continue;
      out.push(generateTrace(rng, at, { degraded: d >= days - 3 }));
    }
    // A few multi-turn conversations a day, for session scorers.
    for (let c = 0; c < Math.round(perDay / 8); c++) {
      const at = start + d * 86_400_000 + rng.int(8, 19) * 3_600_000 + rng.int(0, 3_000_000);
      if (at > now - 20 * 60_000) continue;
      out.push(...generateConversation(rng, at, { degraded: d >= days - 3 }));
    }
  }
  return out.sort((a, b) => Number(BigInt(a[0]!.startTimeNs) - BigInt(b[0]!.startTimeNs)));
}
