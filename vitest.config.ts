import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scorers/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One Postgres cluster per run, started only if a Postgres test asks for it.
    globalSetup: ["tests/helpers/postgres-global.ts"],
  },
});
