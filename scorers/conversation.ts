// A session's turns and the conversation judges read, built from its traces the way MLflow does
// (mlflow/genai/utils/trace_utils.py resolve_conversation_from_session): traces sorted by their
// timestamp, each giving the user's input then the assistant's output, empty messages left out.
import type { TraceData } from "@/lib/mlflow/types";
import { inputText, outputText, truncate } from "./text";
import { traceInputs, traceOutputs } from "./trace";
import type { SessionInput, SessionTurn } from "./types";

export interface ConversationMessage {
  role: "user" | "assistant";
  content: string;
}

/** Trace metadata key that names a trace's session (MLflow's TraceMetadataKey.TRACE_SESSION). */
export const TRACE_SESSION_KEY = "mlflow.trace.session";
/** Assessment metadata MLflow's online session scoring puts on what it logs (AssessmentMetadataKey). */
export const ONLINE_SESSION_ID_KEY = "mlflow.assessment.onlineScoringSessionId";

export const sessionIdOf = (trace: TraceData): string | undefined => trace.info.trace_metadata?.[TRACE_SESSION_KEY] || undefined;

const timeOf = (t: TraceData) => Date.parse(t.info.request_time) || 0;

/** The turns in order: by request time, ties by trace id, so every engine orders them alike. */
export function turnsFromTraces(traces: readonly TraceData[]): SessionTurn[] {
  return [...traces]
    .sort((a, b) => timeOf(a) - timeOf(b) || (a.info.trace_id < b.info.trace_id ? -1 : a.info.trace_id > b.info.trace_id ? 1 : 0))
    .map((trace) => ({ traceId: trace.info.trace_id, timeMs: timeOf(trace), inputs: traceInputs(trace), outputs: traceOutputs(trace), trace }));
}

/** A session input from its traces; `totalTurns` is larger when the engine capped the turns. */
export function sessionInput(sessionId: string, traces: readonly TraceData[], totalTurns = traces.length): SessionInput {
  return { sessionId, turns: turnsFromTraces(traces), totalTurns };
}

export function conversationMessages(turns: readonly Pick<SessionTurn, "inputs" | "outputs">[]): ConversationMessage[] {
  const out: ConversationMessage[] = [];
  for (const t of turns) {
    const user = t.inputs === undefined || t.inputs === null ? "" : inputText(t.inputs);
    if (user.trim()) out.push({ role: "user", content: user });
    const assistant = t.outputs === undefined || t.outputs === null ? "" : outputText(t.outputs);
    if (assistant.trim()) out.push({ role: "assistant", content: assistant });
  }
  return out;
}

/**
 * The conversation as prompt text, one message per block. Long conversations keep their start and
 * their end (what judges need most) within `maxChars`; the cut is said in the text.
 */
export function renderConversation(messages: readonly ConversationMessage[], maxChars = 48_000, perMessage = 4000): string {
  const blocks = messages.map((m, i) => `[${i + 1}] ${m.role}: ${truncate(m.content, perMessage)}`);
  const total = blocks.reduce((n, b) => n + b.length + 1, 0);
  if (total <= maxChars) return blocks.join("\n");
  const head: string[] = [];
  const tail: string[] = [];
  let used = 0;
  for (let i = 0, j = blocks.length - 1; i <= j;) {
    const next = head.length <= tail.length ? blocks[i]! : blocks[j]!;
    if (used + next.length + 1 > maxChars) break;
    used += next.length + 1;
    if (head.length <= tail.length) head.push(blocks[i++]!);
    else tail.unshift(blocks[j--]!);
  }
  const left = blocks.length - head.length - tail.length;
  return [...head, `… ${left} messages left out …`, ...tail].join("\n");
}
