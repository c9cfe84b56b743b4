import { defineConfig } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./e2e/chromium";

/** E2E_PORT moves all three servers (PORT, PORT+1, PORT+2), so two checkouts can run the suite side by side. */
const PORT = Number(process.env.E2E_PORT ?? 3917);
/** Remote-mode Vigil whose MLflow is the server on PORT (e2e/remote.spec.ts). */
const REMOTE_PORT = PORT + 1;
/** Remote-mode Vigil whose MLflow never answers. */
const DOWN_PORT = PORT + 2;

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: chromiumArgs },
    screenshot: "only-on-failure",
    trace: "off",
  },
  // Started one after another (Playwright awaits each before the next), so 3917 answers before 3918
  // links to it. Only the first may (re)build .next, which `npm run test:e2e` has just built; the
  // others serve that same build (VIGIL_BUILD=never), never rebuilding under it.
  webServer: [
    {
      // A fresh database with the demo data, served exactly as `npm start` serves it.
      command: "node --import tsx e2e/serve.ts",
      url: `http://127.0.0.1:${PORT}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 240_000,
      // The worker polls fast so journeys see scores within a second of sending traffic.
      // Alert receivers in e2e/alerts.spec.ts are plain-http servers on loopback.
      env: { PORT: String(PORT), HOST: "127.0.0.1", E2E_DATA_DIR: "test-results/e2e-data", VIGIL_WORKER_POLL_MS: "200", VIGIL_ALERTS_ALLOW_INSECURE: "1" },
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // Remote mode: Vigil monitoring the server above as its MLflow (loopback: anonymous admin, no token).
      command: "node --import tsx e2e/serve.ts",
      url: `http://127.0.0.1:${REMOTE_PORT}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 240_000,
      env: {
        PORT: String(REMOTE_PORT),
        HOST: "127.0.0.1",
        E2E_DATA_DIR: "test-results/e2e-remote-data",
        MLFLOW_TRACKING_URI: `http://127.0.0.1:${PORT}`,
        VIGIL_BUILD: "never",
        VIGIL_REMOTE_BUFFER_MS: "500",
        // Only the experiments e2e/remote.spec.ts and e2e/remote-sessions.spec.ts link: other specs' experiments on 3917 stay theirs
        // (a Vigil that took them over would set their MLflow rates to 0 and score them itself).
        VIGIL_REMOTE_EXPERIMENTS: "remote-e2e,remote-sessions-e2e",
        // e2e/remote-sessions.spec.ts: a conversation is judged two seconds after its last turn.
        VIGIL_SESSION_BUFFER_MS: "2000",
        VIGIL_WORKER_POLL_MS: "200",
      },
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // Remote mode with no MLflow at all (nothing listens on port 4; port 9 is one fetch refuses to try): the dashboard must say so.
      command: "node --import tsx e2e/serve.ts",
      url: `http://127.0.0.1:${DOWN_PORT}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 240_000,
      env: {
        PORT: String(DOWN_PORT),
        HOST: "127.0.0.1",
        E2E_DATA_DIR: "test-results/e2e-down-data",
        MLFLOW_TRACKING_URI: "http://127.0.0.1:4",
        VIGIL_BUILD: "never",
        VIGIL_REMOTE_TIMEOUT_MS: "500",
        VIGIL_REMOTE_MAX_ATTEMPTS: "1",
        VIGIL_WORKER_POLL_MS: "200",
      },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
