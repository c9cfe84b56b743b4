// Settings for a test database on the run's Postgres cluster (tests/helpers/postgres.ts).
import type { PgSettings } from "@/db/pg/client";

export const pgTestSettings = (url: string, over: Partial<PgSettings> = {}): PgSettings => ({
  url,
  poolMax: 4,
  statementTimeoutMs: 30_000,
  connectTimeoutMs: 5_000,
  startWaitMs: 10_000,
  ...over,
});
