// One typed error hierarchy. Each transport maps it once (see lib/http/errors.ts and
// lib/read/action-result.ts), through messageFor below.
export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "REQUEST_LIMIT_EXCEEDED"
  | "INVALID_STATE"
  | "TEMPORARILY_UNAVAILABLE"
  | "INTERNAL_ERROR";

export interface VigilErrorOptions {
  /** The error this one stands for (kept for logs and debugging, never shown). */
  cause?: unknown;
  /**
   * What everyone but an unscoped admin is told instead of `message`, when the message carries
   * what only an admin should see (an upstream MLflow's own words, its REST paths).
   */
  publicMessage?: string;
}

export abstract class VigilError extends Error {
  abstract readonly code: MlflowErrorCode;
  abstract readonly status: number;
  readonly publicMessage?: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
    options: VigilErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.publicMessage !== undefined) this.publicMessage = options.publicMessage;
  }
}

/** The message a transport shows `actor`: the full one for an unscoped admin, else the public one. */
export function messageFor(e: VigilError, actor: { role: string; experimentId?: number | null } | undefined): string {
  if (e.publicMessage === undefined) return e.message;
  return actor?.role === "admin" && actor.experimentId == null ? e.message : e.publicMessage;
}

export class InvalidParameterError extends VigilError {
  readonly code = "INVALID_PARAMETER_VALUE" as const;
  readonly status = 400;
}
export class PayloadTooLargeError extends VigilError {
  readonly code = "INVALID_PARAMETER_VALUE" as const;
  readonly status = 413;
}
export class UnsupportedMediaTypeError extends VigilError {
  readonly code = "INVALID_PARAMETER_VALUE" as const;
  readonly status = 415;
}
export class NotFoundError extends VigilError {
  readonly code = "RESOURCE_DOES_NOT_EXIST" as const;
  readonly status = 404;
}
export class AlreadyExistsError extends VigilError {
  readonly code = "RESOURCE_ALREADY_EXISTS" as const;
  readonly status = 400;
}
export class InvalidStateError extends VigilError {
  readonly code = "INVALID_STATE" as const;
  readonly status = 409;
}
export class UnauthenticatedError extends VigilError {
  readonly code = "UNAUTHENTICATED" as const;
  readonly status = 401;
}
export class PermissionDeniedError extends VigilError {
  readonly code = "PERMISSION_DENIED" as const;
  readonly status = 403;
}
export class RateLimitedError extends VigilError {
  readonly code = "REQUEST_LIMIT_EXCEEDED" as const;
  readonly status = 429;
}

/** A service Vigil depends on (a remote MLflow) did not answer; the work waits and is retried. */
export class UpstreamUnavailableError extends VigilError {
  readonly code = "TEMPORARILY_UNAVAILABLE" as const;
  readonly status = 503;
}

export function isVigilError(e: unknown): e is VigilError {
  return e instanceof VigilError;
}

/**
 * An error and what caused it, outermost first: "Name: message" each, a system error's code added
 * when its message does not say it. For a log line that says why in one place; stacks stay out.
 */
export function causeChain(err: unknown, max = 6): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== undefined && e !== null && out.length < max && !seen.has(e);) {
    seen.add(e);
    if (!(e instanceof Error)) {
      out.push(typeof e === "string" ? e : (JSON.stringify(e) ?? String(e)));
      break;
    }
    const code = (e as { code?: unknown }).code;
    let message = e.message || (e instanceof AggregateError ? e.errors.map((x) => (x instanceof Error ? x.message : String(x))).join("; ") : "");
    // A system error's code (ECONNREFUSED, UND_ERR_SOCKET); a VigilError's is its MLflow error code, said by its name.
    if (typeof code === "string" && !(e instanceof VigilError) && !message.includes(code)) message = message ? `${message} (${code})` : code;
    out.push(message ? `${e.name}: ${message}` : e.name);
    e = e.cause;
  }
  return out;
}
