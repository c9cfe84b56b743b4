// The engine's own process: `npm start` runs it beside the web server; deployments may run several.
import { openDb } from "@/db/client";
import { ConfigError, getConfig, systemActor } from "@/lib/core";
import { createLogger, logEvent } from "@/lib/core/logger";
import { runWorker } from "@/lib/engine/worker";
import { storeFor } from "@/lib/runtime/engine-store";

// The engine's own lines about its lifecycle name internal ids: kept for LOG_LEVEL=debug.
const LIFECYCLE = /^(worker \S+ started|worker stopped|scoring thread \S+ ready)/;

async function main() {
  const config = getConfig();
  const log = createLogger(config, { name: "worker" });
  const db = openDb(config.databasePath, { synchronous: config.VIGIL_SQLITE_SYNCHRONOUS });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  await runWorker({
    ctx,
    signal: controller.signal,
    storeFor: storeFor(ctx, controller.signal),
    log: (message) => logEvent(log, "worker.message", { message }, { level: LIFECYCLE.test(message) ? "debug" : "warn", message }),
  });
  db.$client.close();
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `vigil worker: ${e.message}` : e);
  process.exit(1);
});
