// Why a scoring attempt failed decides what the engine does next (DESIGN.md "Nothing is lost"):
// transient -> retry with backoff; permanent -> record an error assessment; account -> pause the
// scorer and tell the operator why.
import { VigilError } from "@/lib/core/errors";

export type FailureKind = "transient" | "permanent" | "account";

export class ScorerError extends VigilError {
  readonly code = "INTERNAL_ERROR" as const;
  readonly status = 502;
  constructor(
    readonly kind: FailureKind,
    message: string,
    extra: { httpStatus?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { kind, httpStatus: extra.httpStatus, retryAfterMs: extra.retryAfterMs });
    if (extra.cause !== undefined) (this as { cause?: unknown }).cause = extra.cause;
  }
  get httpStatus(): number | undefined {
    return this.details?.httpStatus as number | undefined;
  }
  get retryAfterMs(): number | undefined {
    return this.details?.retryAfterMs as number | undefined;
  }
}

export interface HttpFailure {
  status: number;
  /** Response body text, if read; used to tell quota exhaustion from rate limiting. */
  body?: string;
}

const TRANSIENT_NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** OpenAI answers 429 both for "slow down" and for "you are out of credit"; only the body differs. */
export function isQuotaExhausted(body: string | undefined): boolean {
  if (!body) return false;
  try {
    const err = (JSON.parse(body) as { error?: { code?: unknown; type?: unknown } }).error;
    if (err && (err.code === "insufficient_quota" || err.type === "insufficient_quota")) return true;
  } catch {
    // Not JSON: fall through to the plain-text check.
  }
  return /insufficient_quota|quota exceeded|exceeded your current quota/i.test(body);
}

function classifyStatus(status: number, body?: string): FailureKind {
  if (status === 401 || status === 402 || status === 403) return "account";
  if (status === 429) return isQuotaExhausted(body) ? "account" : "transient";
  if (status === 408) return "transient"; // Request Timeout is a timeout, not a bad request.
  if (status >= 500) return "transient";
  return "permanent";
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Pure classification of a judge or scorer failure: an HTTP status, `{status, body}`, or a thrown
 * value. Timeouts, network errors, 429 and 5xx are transient; 401/402/403 and quota exhaustion are
 * account-level; any other 4xx and any other error (a bug, a bad answer) is permanent.
 */
export function classifyFailure(failure: unknown): FailureKind {
  if (typeof failure === "number") return classifyStatus(failure);
  if (failure instanceof ScorerError) return failure.kind;
  if (failure && typeof failure === "object" && typeof (failure as HttpFailure).status === "number" && !(failure instanceof Error)) {
    const f = failure as HttpFailure;
    return classifyStatus(f.status, f.body);
  }
  if (failure instanceof Error) {
    if (failure.name === "AbortError" || failure.name === "TimeoutError") return "transient";
    const codes = [errorCode(failure), errorCode(failure.cause)];
    if (codes.some((c) => c !== undefined && TRANSIENT_NET_CODES.has(c))) return "transient";
    // undici reports every connection-level problem as TypeError("fetch failed").
    if (failure.name === "TypeError" && /fetch failed|network/i.test(failure.message)) return "transient";
  }
  return "permanent";
}

/** Wraps anything thrown while scoring into a ScorerError, keeping its classification. */
export function toScorerError(e: unknown, context: string): ScorerError {
  if (e instanceof ScorerError) return e;
  const kind = classifyFailure(e);
  const detail = e instanceof Error ? e.message : String(e);
  return new ScorerError(kind, `${context}: ${detail}`, { cause: e });
}
