// The request core of the MLflow client: one place for the URL, auth, per-attempt timeouts,
// retries with backoff (p-retry), the exactly-once rule, answer validation and error mapping.
import { setTimeout as sleep } from "node:timers/promises";
import pRetry, { AbortError } from "p-retry";
import type { z } from "zod";
import { MlflowApiError, MlflowInvalidResponseError, MlflowUnavailableError } from "./errors";
import type { Backoff } from "@/lib/core/backoff";
import { keepAliveTransport, type Transport } from "./transport";
import { backoffDelayMs, decideAttempt, describeFailure, networkErrorCode, parseRetryAfter, type AttemptFailure, type Effect } from "./retry-policy";

export interface MlflowClientOptions {
  /** "http://host:5000" or with a path prefix ("https://x/mlflow"); a trailing slash is tolerated. */
  trackingUri: string;
  /** Sent as Authorization: Bearer <token>. */
  token?: string;
  /** Sent as Authorization: Basic when there is no token. */
  username?: string;
  password?: string;
  /** Injected; default a keep-alive node:http transport (./transport.ts). */
  fetch?: typeof fetch;
  /** Per attempt, default 30_000. */
  timeoutMs?: number;
  /** Total attempts, default 5. */
  maxAttempts?: number;
  /** First backoff, default 250 ms; doubles each retry, with jitter. */
  minBackoffMs?: number;
  /** Default 10_000; also caps a server's Retry-After. */
  maxBackoffMs?: number;
  /** Called after every attempt: reachable for any HTTP answer < 500, not for network errors, timeouts or 5xx. */
  onReachability?: (r: { reachable: boolean; error?: string; at: number }) => void;
  /** Cancels waits and requests. */
  signal?: AbortSignal;
  /** Clock for `at` and HTTP-date Retry-After; default Date.now. */
  now?: () => number;
  /** Jitter source in [0, 1); default Math.random. Tests pin it. */
  random?: () => number;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestSpec<T> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The REST path, e.g. "/api/3.0/mlflow/traces/search". */
  path: string;
  query?: Query;
  body?: unknown;
  effect: Effect;
  schema: z.ZodType<T, unknown>;
  /** Hand the schema the answer's text instead of parsed JSON (files such as traces.json). */
  rawText?: boolean;
}

/** One attempt's retryable failure, carried through p-retry to the final error. */
class AttemptError extends Error {
  constructor(
    readonly failure: AttemptFailure,
    readonly ambiguous: boolean,
  ) {
    super(describeFailure(failure));
  }
}

// A bare integer beyond 2^53 (strings skipped): MLflow's message_to_json prints int64 and
// fixed64 fields, span nanoseconds included, as JSON numbers, which JSON.parse would round.
const BIG_INT = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

// Where a bare number of 16+ digits could start: JSON puts one only at the start of the text or
// after ":", "," or "[" (and whitespace). Inside a string this may match too: then the full rewrite runs.
const MAYBE_BIG_INT = /(?:^|[:,[])\s*-?\d{16}/;

/** JSON.parse with integers past a double's exact range kept as decimal strings (the schemas take int64 as either). */
export function parseJsonExact(text: string): unknown {
  // Most answers (an assessment, a page of trace infos) hold no big integer at all: then the
  // rewrite below would change nothing, and scanning every string for it costs more than the parse.
  if (!MAYBE_BIG_INT.test(text)) return JSON.parse(text);
  return JSON.parse(text.replace(BIG_INT, (m) => (m.startsWith('"') || Number.isSafeInteger(Number(m)) ? m : `"${m}"`)));
}

function splitUri(raw: string): { base: string; user?: string; password?: string } {
  const url = new URL(raw.trim());
  // fetch refuses URLs with credentials; they become a Basic header instead.
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return { base: url.toString().replace(/\/+$/, ""), user, password };
}

function queryString(q: Query | undefined): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** "traces.0.request_time" from a zod issue path. */
const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join(".");

export class HttpCore {
  private readonly base: string;
  private readonly authorization?: string;
  private readonly secrets: string[];
  private readonly fetch: Transport;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly o: MlflowClientOptions) {
    const { base, user, password } = splitUri(o.trackingUri);
    this.base = base;
    const username = o.username ?? user;
    const pass = o.password ?? password;
    if (o.token) this.authorization = `Bearer ${o.token}`;
    else if (username !== undefined || pass !== undefined) {
      this.authorization = `Basic ${Buffer.from(`${username ?? ""}:${pass ?? ""}`).toString("base64")}`;
    }
    // Very short secrets are not redacted: replacing every "a" would garble messages, not protect.
    this.secrets = [o.token, pass, this.authorization?.split(" ")[1]].filter((s): s is string => !!s && s.length >= 4);
    this.fetch = o.fetch ?? keepAliveTransport();
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, o.maxAttempts ?? 5);
    this.backoff = { baseMs: o.minBackoffMs ?? 250, maxMs: o.maxBackoffMs ?? 10_000, factor: 2 };
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  /** Removes the token and password from text that reaches an error message. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join("***");
    return out;
  }

  async request<T>(spec: RequestSpec<T>): Promise<T> {
    let attempts = 0;
    let ambiguous = false;
    try {
      return await pRetry(
        async () => {
          attempts += 1;
          try {
            return await this.attempt(spec);
          } catch (e) {
            if (!(e instanceof AttemptError)) throw new AbortError(e as Error);
            ambiguous ||= e.ambiguous;
            if (decideAttempt(e.failure, spec.effect).retry) throw e;
            throw new AbortError(this.unavailable(spec, attempts, e, ambiguous));
          }
        },
        {
          retries: this.maxAttempts - 1,
          // p-retry counts attempts and stops on abort; the wait is ours (it honours Retry-After).
          minTimeout: 0,
          signal: this.o.signal,
          onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
            if (retriesLeft <= 0 || !(error instanceof AttemptError)) return;
            const retryAfter = error.failure.kind === "http" ? error.failure.retryAfterMs : undefined;
            const wait = backoffDelayMs(retriesConsumed + 1, this.backoff, this.random(), retryAfter);
            // A cancelled wait ends the call with the caller's own reason, as a cancelled attempt does.
            await sleep(wait, undefined, { signal: this.o.signal }).catch(() => {
              throw this.o.signal?.reason;
            });
          },
        },
      );
    } catch (e) {
      if (e instanceof AttemptError) throw this.unavailable(spec, attempts, e, ambiguous);
      throw e;
    }
  }

  private unavailable(spec: RequestSpec<unknown>, attempts: number, e: AttemptError, ambiguous: boolean): MlflowUnavailableError {
    const f = e.failure;
    return new MlflowUnavailableError({
      method: spec.method,
      path: spec.path,
      attempts,
      lastStatus: f.kind === "http" ? f.status : undefined,
      maybeApplied: ambiguous,
      reason: this.redact(describeFailure(f)),
    });
  }

  /** One HTTP exchange: the parsed answer, or a typed error (AttemptError when it may be retried). */
  private async attempt<T>(spec: RequestSpec<T>): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.authorization) headers.authorization = this.authorization;
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.o.signal ? AbortSignal.any([this.o.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await this.fetch(`${this.base}${spec.path}${queryString(spec.query)}`, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (e) {
      // The caller cancelled: not a failure of MLflow, and not to be retried.
      if (this.o.signal?.aborted) throw this.o.signal.reason;
      const failure: AttemptFailure = timeout.aborted
        ? { kind: "timeout", afterMs: this.timeoutMs }
        : { kind: "network", code: networkErrorCode(e), message: e instanceof Error ? e.message : String(e) };
      throw this.failed(spec, failure);
    }

    if (status >= 200 && status < 300) {
      this.report(true);
      return this.parse(spec, status, text);
    }
    const { errorCode, message } = this.errorBody(status, text);
    const failure: AttemptFailure = { kind: "http", status, errorCode, message, retryAfterMs: parseRetryAfter(retryAfter, this.now()) };
    if (!decideAttempt(failure, spec.effect).transient) {
      this.report(true);
      throw new MlflowApiError({ method: spec.method, path: spec.path, status, errorCode, serverMessage: message });
    }
    throw this.failed(spec, failure);
  }

  private failed(spec: RequestSpec<unknown>, failure: AttemptFailure): AttemptError {
    const reachable = failure.kind === "http" && failure.status < 500;
    this.report(reachable, reachable ? undefined : this.redact(describeFailure(failure)));
    return new AttemptError(failure, decideAttempt(failure, spec.effect).ambiguous);
  }

  private report(reachable: boolean, error?: string): void {
    if (!this.o.onReachability) return;
    try {
      this.o.onReachability(error === undefined ? { reachable, at: this.now() } : { reachable, error, at: this.now() });
    } catch {
      // A failing observer must not turn a good answer into an error.
    }
  }

  /** MLflow's {error_code, message}, or HTTP_<status> with the start of a non-JSON body. */
  private errorBody(status: number, text: string): { errorCode: string; message: string } {
    let errorCode = `HTTP_${status}`;
    let message = text.trim().slice(0, 300);
    try {
      const j = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (j && typeof j === "object") {
        if (typeof j.error_code === "string" && j.error_code) errorCode = j.error_code;
        if (typeof j.message === "string") message = j.message;
      }
    } catch {
      // Not JSON (a proxy's HTML page, say): keep the text.
    }
    return { errorCode: this.redact(errorCode), message: this.redact(message) };
  }

  private parse<T>(spec: RequestSpec<T>, status: number, text: string): T {
    let json: unknown;
    try {
      json = spec.rawText ? text : text.trim() === "" ? {} : parseJsonExact(text);
    } catch {
      throw new MlflowInvalidResponseError({ method: spec.method, path: spec.path, status, field: "", problem: "is not JSON" });
    }
    const r = spec.schema.safeParse(json);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    throw new MlflowInvalidResponseError({
      method: spec.method,
      path: spec.path,
      status,
      field: fieldOf(issue.path),
      problem: this.redact(issue.message),
    });
  }
}
