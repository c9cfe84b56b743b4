// Vigil's one logger: pino, one JSON line per event ({"level","time","name","event",...}), at
// LOG_LEVEL. Processes make one with createLogger; the engine reports what happens through
// logEvent with the event names below, so on-call can grep and alert on them.
import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config";

export type { Logger } from "pino";

/**
 * Events worth one line each. The engine (lib/engine, lib/remote) emits the engine ones; the
 * start script and worker the process ones. Fields are snake_case, as in the REST API.
 */
export interface LogEvents {
  "vigil.started": { url: string };
  "vigil.stopping": { signal: string };
  "vigil.build": { reason: "first start" | "sources changed" };
  "vigil.build_interrupted": { signal: string };
  "demo.loaded": { experiment_id: string; experiment: string; traces: number };
  "demo.judge_started": { base_url: string };
  "demo.traffic_started": { experiment_id: string; every_ms: number };
  "admin.sign_in_link": { url: string };
  "worker.exited": { code: number | null; signal: string | null; restart_in_ms: number };
  "worker.message": { message: string };
  /** A pass failed; the work waits and is retried. `causes`: what caused `reason`, outermost first. */
  "worker.pass_failed": { reason: string; causes: string[] };
  "scorer.auto_paused": { experiment_id: string; scorer: string; reason: string };
  "scorer.budget_reached": { experiment_id: string; scorer: string; budget_usd: number; spent_usd: number };
  "job.finished": { job_id: string; experiment_id: string; kind: string; done: number; failed: number };
  "job.failed": { job_id: string; experiment_id: string; kind: string; reason: string };
  "mlflow.unreachable": { tracking_uri: string; reason: string };
  "mlflow.reachable": { tracking_uri: string; down_for_ms: number };
}
export type LogEventName = keyof LogEvents;

export function createLogger(config: Pick<Config, "LOG_LEVEL">, opts: { name: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: opts.name,
      level: config.LOG_LEVEL,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** One line for one event: `{"event": name, ...fields, "msg": message ?? name}`. */
export function logEvent<E extends LogEventName>(
  log: Logger,
  event: E,
  fields: LogEvents[E],
  opts: { level?: "debug" | "info" | "warn" | "error"; message?: string } = {},
): void {
  const line: Record<string, unknown> = { event, ...fields };
  log[opts.level ?? "info"](line, opts.message ?? event);
}
