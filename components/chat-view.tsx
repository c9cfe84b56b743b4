import type { ChatMessage } from "./chat-messages";

/** Messages as a conversation: who said what, tool calls with their arguments. */
export function ChatView({ messages, label }: { messages: ChatMessage[]; label: string }) {
  return (
    <ol className="chat" aria-label={label}>
      {messages.map((m, i) => (
        <li key={i} className={`chat-msg chat-${m.role === "user" || m.role === "human" ? "user" : m.role === "system" ? "system" : "other"}`}>
          <div className="chat-role small muted">{m.role}</div>
          {m.text && <div className="chat-text">{m.text}</div>}
          {m.toolCalls.map((c, k) => (
            <div key={k} className="chat-tool small">
              <span className="chip">tool call</span> <span className="mono">{c.name}</span>
              {c.arguments && <code className="chat-args">{c.arguments}</code>}
            </div>
          ))}
        </li>
      ))}
    </ol>
  );
}
