import { defineConfig } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./e2e/chromium";

const PORT = 3917;

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
  webServer: {
    // A fresh database with the demo data, served exactly as `npm start` serves it.
    command: "node --import tsx e2e/serve.ts",
    url: `http://127.0.0.1:${PORT}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    // The worker polls fast so journeys see scores within a second of sending traffic.
    env: { PORT: String(PORT), HOST: "127.0.0.1", E2E_DATA_DIR: "test-results/e2e-data", VIGIL_WORKER_POLL_MS: "200" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
