// The engine's own process: `npm start` runs it beside the web server; deployments may run several.
import { openDb } from "@/db/client";
import { ConfigError, getConfig, systemActor } from "@/lib/core";
import { runWorker } from "@/lib/engine/worker";
import { storeFor } from "@/lib/runtime/engine-store";

async function main() {
  const config = getConfig();
  const db = openDb(config.databasePath);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  await runWorker({
    ctx,
    signal: controller.signal,
    storeFor: storeFor(ctx, controller.signal),
    log: (l) => console.log(`[worker] ${l}`),
  });
  db.$client.close();
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `vigil worker: ${e.message}` : e);
  process.exit(1);
});
