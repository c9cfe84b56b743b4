// One typed error hierarchy. Each transport maps it once (see lib/http/errors.ts).
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

export abstract class VigilError extends Error {
  abstract readonly code: MlflowErrorCode;
  abstract readonly status: number;
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
  }
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
