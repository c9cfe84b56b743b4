// `npm start`: validate config, migrate, seed the demo on a new database, build if needed,
// then serve the API and the dashboard on one port with the worker beside it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import http from "node:http";
import next from "next";
import { WORKER_NODE_ARGS } from "@/lib/engine/worker-process";
import { openDb } from "@/db/client";
import { ConfigError, getConfig, isConfigError, systemActor } from "@/lib/core";
import { createLogger, logEvent } from "@/lib/core/logger";
import { ensureAdminToken, ensureFirstAdminLink } from "@/lib/auth";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { loadDemoData } from "@/lib/demo/load-demo";
import { startDemoJudgeServer, type DemoJudgeServer } from "@/lib/demo/judge-server";
import { startDemoTraffic, type LiveTraffic } from "@/lib/demo/live-traffic";
import { redactUri } from "@/lib/remote/status";
import { createApiHandler } from "@/lib/http";
import { BuildInterrupted, buildIfNeeded } from "./build-if-needed";

async function main() {
  const config = getConfig();
  const log = createLogger(config, { name: "vigil" });
  const isNew = config.databasePath === ":memory:" || !fs.existsSync(config.databasePath);
  const db = openDb(config.databasePath, { synchronous: config.VIGIL_SQLITE_SYNCHRONOUS });
  const ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  ensureDefaultExperiment(db);
  ensureAdminToken(db, config);
  if (config.MLFLOW_TRACKING_URI) {
    // Remote mode: the experiments and traces are MLflow's; the worker links and scores them.
    log.info({ tracking_uri: redactUri(config.MLFLOW_TRACKING_URI) }, "remote MLflow mode");
  } else if (isNew && config.VIGIL_DEMO) {
    const r = await loadDemoData({ ctx, input: {} });
    logEvent(log, "demo.loaded", { experiment_id: r.experimentId, experiment: r.experimentName, traces: r.traces });
  }

  const root = process.cwd();
  if (config.VIGIL_BUILD === "auto") await buildIfNeeded(root, log);
  else if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")))
    throw new ConfigError("VIGIL_BUILD", "is 'never' but there is no build; run `npx next build` first");
  const app = next({ dev: false, dir: root, hostname: config.HOST, port: config.PORT, quiet: true });
  await app.prepare();
  const nextHandle = app.getRequestHandler();
  const api = createApiHandler({ db, config });

  const server = http.createServer((req, res) => {
    api(req, res)
      .then((handled) => {
        if (handled) return;
        // Pages that need a sign-in send the person back here afterwards.
        req.headers["x-vigil-path"] = req.url ?? "/";
        return nextHandle(req, res);
      })
      .catch((e) => {
        log.error({ err: e, path: req.url }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal error");
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new ConfigError("PORT", `${config.PORT} is already in use on ${config.HOST}`)
          : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND"
            ? new ConfigError("HOST", `cannot listen on ${config.HOST}`)
            : e,
      ),
    );
    server.listen(config.PORT, config.HOST, resolve);
  });

  // The demo lives: a judge endpoint for its LLM judges (unless a real one is configured) and new traffic.
  const demo = !config.MLFLOW_TRACKING_URI && config.VIGIL_DEMO;
  let judge: DemoJudgeServer | undefined;
  const workerEnv = { ...process.env };
  if (demo && !config.VIGIL_JUDGE_BASE_URL) {
    judge = await startDemoJudgeServer({ port: config.VIGIL_DEMO_JUDGE_PORT });
    workerEnv.VIGIL_JUDGE_BASE_URL = judge.baseUrl;
    logEvent(log, "demo.judge_started", { base_url: judge.baseUrl }, { level: "debug" });
  }
  let traffic: LiveTraffic | null = null;
  if (demo && config.VIGIL_DEMO_TRAFFIC_MS > 0) traffic = startDemoTraffic(ctx, { everyMs: config.VIGIL_DEMO_TRAFFIC_MS });

  let stopping = false;
  let worker: ChildProcess | undefined;
  const startWorker = () => {
    worker = spawn(process.execPath, WORKER_NODE_ARGS, { cwd: root, stdio: "inherit", env: workerEnv });
    worker.once("exit", (code, signal) => {
      if (stopping) return;
      logEvent(log, "worker.exited", { code, signal, restart_in_ms: 2000 }, { level: "warn" });
      setTimeout(startWorker, 2000).unref();
    });
  };
  startWorker();

  const shown = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  const url = `http://${shown}:${config.PORT}/`;
  logEvent(log, "vigil.started", { url }, { message: `Vigil is running: open ${url}` });
  // No admin can sign in yet (fresh install): hand out a one-time link instead of a default password.
  const link = ensureFirstAdminLink(db, Date.now());
  if (link) {
    const signIn = `${url}api/v1/auth/link?token=${link}`;
    logEvent(log, "admin.sign_in_link", { url: signIn }, { message: `sign in as admin (one-time link, valid 24 h): ${signIn}` });
  }

  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    logEvent(log, "vigil.stopping", { signal: sig });
    traffic?.stop();
    const w = worker;
    const workerDone = new Promise<void>((resolve) => {
      if (!w || w.exitCode !== null || w.signalCode !== null) return resolve();
      w.once("exit", () => resolve());
      w.kill("SIGTERM");
      setTimeout(() => {
        w.kill("SIGKILL");
        resolve();
      }, 5000).unref();
    });
    server.closeIdleConnections();
    const serverDone = new Promise<void>((resolve) => server.close(() => resolve()));
    setTimeout(() => server.closeAllConnections(), 3000).unref();
    Promise.all([workerDone, serverDone, judge?.close()])
      .then(() => app.close())
      .finally(() => {
        db.$client.close();
        process.exit(0);
      });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e) => {
  if (isConfigError(e)) {
    console.error(`vigil: invalid configuration: ${e.message}`);
  } else if (e instanceof BuildInterrupted) {
    console.error(`vigil: stopped during the dashboard build (${e.signal}); nothing was served`);
    process.exit(130);
  } else {
    console.error("vigil: failed to start:", e);
  }
  process.exit(1);
});
