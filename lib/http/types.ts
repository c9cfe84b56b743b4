import type { Ctx } from "@/lib/core";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string | undefined>;
  /** Raw body after content-encoding was undone (gzip/deflate), within the size limit. */
  body: Buffer;
  /** Path parameters, e.g. {trace_id} for /traces/:trace_id. */
  params: Record<string, string>;
  /** The peer's address, for per-client limits such as sign-in throttling. */
  clientAddress: string;
}

export type ApiResult =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; body: Buffer | string; contentType: string; headers?: Record<string, string> };

export type RouteHandler = (req: ApiRequest, ctx: Ctx) => Promise<ApiResult> | ApiResult;

export interface Route {
  method: HttpMethod;
  /** Path pattern; `:name` matches one segment. Static routes win over parameterised ones. */
  path: string;
  handler: RouteHandler;
  /** Reachable without credentials (health, sign-in); such handlers must not call role-checked verbs. */
  public?: boolean;
  /**
   * What the request body is. "json" (the default): a body must be sent as application/json,
   * checked before the handler runs. "raw": the handler checks the type itself (OTLP protobuf or
   * JSON, artifact uploads of any file).
   */
  body?: "json" | "raw";
}
