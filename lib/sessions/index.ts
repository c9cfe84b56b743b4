// Read models of conversations (the sessions view): lib/engine/sessions scores them.
export { listSessions, type SessionSummary } from "./list-sessions";
export { getSession, type SessionDetail, type SessionVerdict, type SessionTurnRow } from "./get-session";
