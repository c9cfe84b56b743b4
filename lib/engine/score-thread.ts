// The scoring thread: loads traces through its own read-only connection and runs code scorers,
// answering each request with the writes that record it. The engine's thread meanwhile commits
// the previous batch, so scoring and SQLite writes use both cores.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { assessmentIdGenerator } from "./assessment-ids";
import { scoreRequest, type ScoreRequest, type ScoringSettings } from "./code-scorer";
import type { ThreadData } from "./thread-scorer";

const data = workerData as ThreadData;
const db = new Database(data.databasePath, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 10000");

const settings: ScoringSettings = {
  policy: data.policy,
  prices: data.prices,
  code: { env: { fetch }, timeoutMs: data.timeoutMs, testDelayMs: data.testDelayMs },
  random: Math.random,
  newAssessmentId: assessmentIdGenerator(),
  now: Date.now,
};

parentPort!.on("message", (m: { id: number; req: ScoreRequest }) => {
  scoreRequest(db, m.req, settings).then(
    (reply) => parentPort!.postMessage({ id: m.id, reply }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
parentPort!.postMessage({ ready: true });
