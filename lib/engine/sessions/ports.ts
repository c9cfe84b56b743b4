// The session ports live with the engine's other ports (../ports.ts): complete sessions waiting
// for sampling, a session's turns in order, and a sink that supersedes the older verdict.
export type { AtomicSessionSink, DueSession, RemoteSessionSink, SessionKey, SessionPorts, SessionScore, SessionSink, SessionSource, TurnRef } from "../ports";
