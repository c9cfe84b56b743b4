// The engine's own process: `npm start` runs it beside the web server; deployments may run several.
import { openDb } from "@/db/client";
import { getConfig, isConfigError, systemActor } from "@/lib/core";
import { createLogger, logEvent } from "@/lib/core/logger";
import type { EngineEvent, EngineEventSink } from "@/lib/engine/engine-context";
import { runWorker } from "@/lib/engine/worker";
import { storeFor } from "@/lib/runtime/engine-store";

// The engine's own lines about its lifecycle name internal ids: kept for LOG_LEVEL=debug.
const LIFECYCLE = /^(worker \S+ started|worker stopped|scoring thread \S+ ready)/;

const WARN = new Set<EngineEvent["name"]>(["scorer.auto_paused", "scorer.budget_reached", "job.failed", "mlflow.unreachable", "worker.pass_failed"]);

function describe(ev: EngineEvent): string {
  switch (ev.name) {
    case "scorer.auto_paused":
      return `scorer ${ev.fields.scorer} (experiment ${ev.fields.experiment_id}) paused: ${ev.fields.reason}`;
    case "scorer.budget_reached":
      return `scorer ${ev.fields.scorer} (experiment ${ev.fields.experiment_id}) reached its daily budget of $${ev.fields.budget_usd}`;
    case "job.finished":
      return `${ev.fields.kind} job ${ev.fields.job_id} finished: ${ev.fields.done} done, ${ev.fields.failed} failed`;
    case "job.failed":
      return `${ev.fields.kind} job ${ev.fields.job_id} failed: ${ev.fields.reason}`;
    case "mlflow.unreachable":
      return `MLflow at ${ev.fields.tracking_uri} is unreachable: ${ev.fields.reason}`;
    case "mlflow.reachable":
      return `MLflow at ${ev.fields.tracking_uri} answers again (down ${Math.round(ev.fields.down_for_ms / 1000)} s)`;
    case "worker.pass_failed":
      return `worker pass failed (work waits and is retried): ${[ev.fields.reason, ...ev.fields.causes].join(" <- ")}`;
  }
}

async function main() {
  const config = getConfig();
  const log = createLogger(config, { name: "worker" });
  const db = openDb(config.databasePath, { synchronous: config.VIGIL_SQLITE_SYNCHRONOUS });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  // One structured line per engine event; failures and pauses are warnings on-call greps for.
  const event: EngineEventSink = (ev) => logEvent(log, ev.name, ev.fields as never, { level: WARN.has(ev.name) ? "warn" : "info", message: describe(ev) });
  await runWorker({
    ctx,
    signal: controller.signal,
    storeFor: storeFor(ctx, controller.signal, event),
    engine: { event },
    log: (message, level) => logEvent(log, "worker.message", { message }, { level: level ?? (LIFECYCLE.test(message) ? "debug" : "warn"), message }),
  });
  db.$client.close();
}

main().catch((e) => {
  console.error(isConfigError(e) ? `vigil worker: ${e.message}` : e);
  process.exit(1);
});
