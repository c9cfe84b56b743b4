// Session-level scoring on the one engine (docs/sessions.md): intake of complete sessions, then
// the session tasks, each pass after the trace work.
import type { EngineCtx } from "../engine-context";
import { sessionIntake } from "./session-intake";
import { sessionTaskStep } from "./session-run";

export { MAX_SESSION_ID_CHARS } from "./session-intake";
export { runSessionJudge, SESSION_TURNS_KEY, SESSION_TURNS_KEY_KEY, SESSION_TURNS_SCORED_KEY } from "./session-run";
export { joinSessions } from "./session-table";
export type { RemoteSessionSink, SessionPorts, SessionScore } from "./ports";
export type { SessionTaskRow } from "./session-tasks";

/** One session pass: complete sessions sampled and queued, then one batch of session tasks. Returns the work done. */
export async function sessionStep(e: EngineCtx): Promise<number> {
  if (!e.store.sessions) return 0;
  const intake = await sessionIntake(e);
  const run = await sessionTaskStep(e);
  return intake.sessions + run.tasks;
}
