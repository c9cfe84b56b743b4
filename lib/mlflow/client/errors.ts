// What a call to a remote MLflow can end in besides an answer. Callers branch on the class:
// a definitive refusal (MlflowApiError), or no usable answer at all (MlflowUnavailableError).

interface Where {
  method: string;
  /** The REST path (without the tracking URI's host, prefix or query string). */
  path: string;
}

/** MLflow gave a definitive 4xx answer (not retried, except 429), with its error_code. */
export class MlflowApiError extends Error {
  readonly status: number;
  /** MLflow's {error_code}, or "HTTP_<status>" when the body had none. */
  readonly errorCode: string;
  readonly method: string;
  readonly path: string;

  constructor(a: Where & { status: number; errorCode: string; serverMessage: string }) {
    super(`MLflow ${a.method} ${a.path} answered ${a.status} ${a.errorCode}${a.serverMessage ? `: ${a.serverMessage}` : ""}`);
    this.name = new.target.name;
    this.status = a.status;
    this.errorCode = a.errorCode;
    this.method = a.method;
    this.path = a.path;
  }
}

/**
 * MLflow answered, but not in the shape its protos define (errorCode "INVALID_RESPONSE"). Not
 * retried: asking again would get the same answer. `field` names the offending field.
 */
export class MlflowInvalidResponseError extends MlflowApiError {
  readonly field: string;

  constructor(a: Where & { status: number; field: string; problem: string }) {
    super({ ...a, errorCode: "INVALID_RESPONSE", serverMessage: "" });
    this.field = a.field;
    this.message = `MLflow ${a.method} ${a.path} answered ${a.status} with an invalid body: ${a.field ? `'${a.field}' ` : ""}${a.problem}`;
  }
}

/** Retries were exhausted (or not allowed) on network errors, timeouts, 429 or 5xx. */
export class MlflowUnavailableError extends Error {
  /** The HTTP status of the last attempt, when it got one. */
  readonly lastStatus?: number;
  readonly attempts: number;
  /**
   * True when a request that changes state may have been applied by the server (it timed out,
   * the connection broke after sending, or a 5xx): the caller must look before writing again.
   */
  readonly maybeApplied: boolean;
  readonly method: string;
  readonly path: string;

  constructor(a: Where & { attempts: number; lastStatus?: number; maybeApplied: boolean; reason: string }) {
    const tries = `${a.attempts} attempt${a.attempts === 1 ? "" : "s"}`;
    super(`MLflow ${a.method} ${a.path} is unavailable after ${tries}${a.maybeApplied ? " (the request may have been applied)" : ""}: ${a.reason}`);
    this.name = new.target.name;
    if (a.lastStatus !== undefined) this.lastStatus = a.lastStatus;
    this.attempts = a.attempts;
    this.maybeApplied = a.maybeApplied;
    this.method = a.method;
    this.path = a.path;
  }
}

/** MLflow's "not found" answer, however a server spells it. */
export function isNotFound(e: unknown): boolean {
  return e instanceof MlflowApiError && !(e instanceof MlflowInvalidResponseError) && (e.status === 404 || e.errorCode === "RESOURCE_DOES_NOT_EXIST");
}
