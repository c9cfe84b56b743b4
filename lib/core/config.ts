import path from "node:path";
import { z } from "zod";
import { DatabaseOpenError } from "@/db/client";

// The one place that reads process.env. Everything else receives a Config.
const boolish = z.enum(["0", "1", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().min(1).default("file:./data/vigil.db"),
  // Postgres (db/pg/client.ts): pool size, per-statement limit, per-connection limit, and how long
  // a start waits (with backoff) for a Postgres that is down before it gives up with a clear error.
  VIGIL_PG_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  VIGIL_PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  VIGIL_PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  VIGIL_PG_START_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  VIGIL_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  VIGIL_DEMO: boolish.default(true),
  // While the demo runs (VIGIL_DEMO on, demo experiment present): mean ms between live demo traces; 0 stops them.
  VIGIL_DEMO_TRAFFIC_MS: z.coerce.number().int().min(0).default(3000),
  // The demo's LLM judge endpoint runs beside Vigil when no VIGIL_JUDGE_BASE_URL is set; 0 picks a free port.
  VIGIL_DEMO_JUDGE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  VIGIL_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  // A trace with no root span end is treated as complete after this long without new spans.
  VIGIL_TRACE_QUIET_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60 * 1000),
  // A session (traces sharing mlflow.trace.session) is complete once no trace joined it for this long (MLflow: 5 min).
  VIGIL_SESSION_BUFFER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60 * 1000),
  // Session scorers see at most this many turns (the latest); longer sessions are scored capped, and say so.
  VIGIL_SESSION_MAX_TURNS: z.coerce.number().int().min(1).max(100_000).default(1000),
  // What a request without credentials may do. Unset: open (admin) only while Vigil listens on
  // loopback, so a laptop demo needs no setup and anything reachable from elsewhere is closed.
  VIGIL_ANONYMOUS_ROLE: z.enum(["none", "viewer", "operator", "admin"]).optional(),
  // Anonymous operator/admin on a non-loopback interface lets anyone on the network act: refused
  // at start unless this says it is deliberate.
  VIGIL_ALLOW_ANONYMOUS_ON_NETWORK: boolish.default(false),
  // Host names this server answers to (comma-separated, `*.example.com` for subdomains, `*` for
  // any), as MLflow's --allowed-hosts. Unset: loopback names only while anonymous access is on,
  // which stops DNS rebinding; any Host when every request must sign in.
  VIGIL_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean)
        : undefined,
    ),
  // Addresses of reverse proxies whose X-Forwarded-For / -Host / -Proto are believed (comma-
  // separated IPs). From anyone else those headers are ignored.
  VIGIL_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((a) => normalizeAddress(a.trim()))
        .filter(Boolean),
    ),
  // SQLite durability: NORMAL (WAL) survives a crash of the process, FULL also a power loss.
  VIGIL_SQLITE_SYNCHRONOUS: z.enum(["NORMAL", "FULL"]).default("NORMAL"),
  VIGIL_JUDGE_BASE_URL: z.string().url().optional(),
  VIGIL_JUDGE_API_KEY: z.string().optional(),
  VIGIL_JUDGE_MODEL: z.string().default("gpt-4o-mini"),
  VIGIL_WORKER_POLL_MS: z.coerce.number().int().min(10).default(1000),
  // An idle worker wakes when traces commit (db/commit-signal.ts); 0: only at its poll.
  VIGIL_WORKER_WAKE: boolish.default(true),
  // Engine (lib/engine): batch size, timeouts, retries, leases, judge concurrency, rate and prices.
  VIGIL_ENGINE_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
  VIGIL_CODE_SCORER_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  VIGIL_JUDGE_TIMEOUT_MS: z.coerce.number().int().min(1).default(60_000),
  VIGIL_JUDGE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  VIGIL_JUDGE_RPS: z.coerce.number().positive().default(5),
  VIGIL_SCORER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  VIGIL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
  VIGIL_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 60 * 1000),
  // How long a worker owns a claimed job, task or completed trace without renewing it.
  VIGIL_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  // USD per million tokens by model: {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}.
  VIGIL_JUDGE_PRICES: z
    .string()
    .default(
      '{"gpt-4o-mini":{"input":0.15,"output":0.6},"gpt-4o":{"input":2.5,"output":10},"gpt-4.1-mini":{"input":0.4,"output":1.6},"gpt-4.1":{"input":2,"output":8}}',
    )
    .transform((s, c) => {
      const price = z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }));
      try {
        const r = price.safeParse(JSON.parse(s));
        if (r.success) return r.data;
      } catch {
        // reported below
      }
      c.addIssue({ code: "custom", message: 'must be JSON like {"model": {"input": 0.15, "output": 0.6}} (USD per million tokens)' });
      return z.NEVER;
    }),
  // Code scorers run on a second thread, pipelined with the worker's SQLite writes.
  VIGIL_ENGINE_SCORING_THREAD: boolish.default(true),
  // Tests and benchmarks only: delays every code scorer run to widen crash windows.
  VIGIL_ENGINE_TEST_DELAY_MS: z.coerce.number().int().min(0).default(0),
  // Remote mode (issue 9): monitor experiments on a real MLflow tracking server instead of
  // Vigil's own store. MLflow's own variable names, so an existing MLflow setup carries over.
  MLFLOW_TRACKING_URI: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL of an MLflow tracking server")
    .optional(),
  MLFLOW_TRACKING_TOKEN: z.string().optional(),
  MLFLOW_TRACKING_USERNAME: z.string().optional(),
  MLFLOW_TRACKING_PASSWORD: z.string().optional(),
  VIGIL_REMOTE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  VIGIL_REMOTE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  // Traces younger than this are left for the next pass (spans may still be arriving).
  VIGIL_REMOTE_BUFFER_MS: z.coerce.number().int().min(0).default(30_000),
  // Where online scoring of a newly linked experiment starts (older traces: a backfill job).
  VIGIL_REMOTE_LOOKBACK_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60 * 60 * 1000),
  // Who scores a newly linked experiment; "auto" leaves it to MLflow when MLflow already scores it.
  VIGIL_REMOTE_SCORED_BY: z.enum(["auto", "vigil", "mlflow"]).default("auto"),
  // Comma-separated names of the remote experiments to monitor; unset: every active experiment.
  VIGIL_REMOTE_EXPERIMENTS: z.string().optional(),
  // `npm start` builds the dashboard when sources are newer than the build; "never" serves the
  // build there is as it is (a second server beside one already serving it must not rebuild).
  VIGIL_BUILD: z.enum(["auto", "never"]).default("auto"),
  // Alerts (issue 17): the address alert links point at; the key that encrypts receiver URLs and
  // secrets (unset: a key file beside the database); plain-http and private receivers for tests.
  VIGIL_PUBLIC_URL: z.string().url().optional(),
  VIGIL_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  VIGIL_ALERTS_ALLOW_INSECURE: boolish.default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

type Anonymous = "none" | "viewer" | "operator" | "admin";
export type Config = Omit<z.infer<typeof schema>, "VIGIL_ANONYMOUS_ROLE"> & { databasePath: string; VIGIL_ANONYMOUS_ROLE: Anonymous };

export const isLoopbackHost = (host: string) =>
  host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Socket addresses come as "::ffff:127.0.0.1" for IPv4 peers on a dual-stack socket. */
export function normalizeAddress(a: string): string {
  return a.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}

/** A setting is wrong: the config's own errors, and a database file that cannot be opened (DATABASE_URL). */
export function isConfigError(e: unknown): e is ConfigError | DatabaseOpenError {
  return e instanceof ConfigError || e instanceof DatabaseOpenError;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting}: ${detail}`);
    this.name = "ConfigError";
  }
}

/** Turns a DATABASE_URL ("file:./x.db", "./x.db", ":memory:") into a SQLite path. */
export function databasePathFromUrl(url: string, cwd = process.cwd()): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError("DATABASE_URL", "PostgreSQL is not supported yet; use a SQLite file path");
  }
  const accepted = 'accepted: "file:./path.db", "./path.db", an absolute path, or ":memory:"';
  // Any other scheme ("sqlite:///x.db", "mysql://") would otherwise become a file named after it.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme && scheme.toLowerCase() !== "file") throw new ConfigError("DATABASE_URL", `unknown scheme "${scheme}:"; ${accepted}`);
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!p) throw new ConfigError("DATABASE_URL", `empty path; ${accepted}`);
  // The shell expands ~ only unquoted at a word's start; here it would make a folder named "~".
  if (p.startsWith("~")) throw new ConfigError("DATABASE_URL", `"~" is not expanded; write the full path (${accepted})`);
  if (p.startsWith("//")) throw new ConfigError("DATABASE_URL", `"file://" URLs are not read; ${accepted}`);
  return path.resolve(cwd, p);
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = String(issue.path[0] ?? "config");
    throw new ConfigError(key, `${issue.message} (got ${JSON.stringify(cleaned[key] ?? null)})`);
  }
  if (r.data.MLFLOW_TRACKING_USERNAME && !r.data.MLFLOW_TRACKING_PASSWORD) {
    throw new ConfigError("MLFLOW_TRACKING_PASSWORD", "required when MLFLOW_TRACKING_USERNAME is set");
  }
  const anonymous: Anonymous = r.data.VIGIL_ANONYMOUS_ROLE ?? (isLoopbackHost(r.data.HOST) ? "admin" : "none");
  if ((anonymous === "admin" || anonymous === "operator") && !isLoopbackHost(r.data.HOST) && !r.data.VIGIL_ALLOW_ANONYMOUS_ON_NETWORK) {
    throw new ConfigError(
      "VIGIL_ANONYMOUS_ROLE",
      `${anonymous} for everyone while listening on ${r.data.HOST} lets anyone on the network act; use a loopback HOST, another role, or set VIGIL_ALLOW_ANONYMOUS_ON_NETWORK=1`,
    );
  }
  return { ...r.data, VIGIL_ANONYMOUS_ROLE: anonymous, databasePath: databasePathFromUrl(r.data.DATABASE_URL) };
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
